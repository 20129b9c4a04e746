import type { RecordingFormat, RecordingTargetKind } from '../recording-slot';

/**
 * The recording part of the media gateway port (`MediaGateway.startRecording` / `stopRecording`, and the
 * sink's `recordingSignal`). Same guarantees as the rest of the port: idempotent per recording, a resolved
 * promise means accepted, and the outcome arrives later as a signal: `finished` once the file exists.
 */
export type RecordingMediaRequest = {
  recordingId: string;
  customerId: string;
  referenceType: RecordingTargetKind;
  /** The call id, or the conference id (the gateway records the conference's bridge). */
  referenceId: string;
  format: RecordingFormat;
  tmStart: string;
};

/** `tmStopRequested`: when we decided to stop, so the recorded length does not depend on reactor lag. */
export type RecordingStopMediaRequest = RecordingMediaRequest & { tmStopRequested: string };

export type MediaRecordingSignal = {
  recordingId: string;
  customerId: string;
  /** Stable per report: a redelivery reuses it. */
  signalId: string;
  signal: 'finished';
  tmEnd: string;
  durationSec: number | null;
  /** Where an external media layer keeps the file; null when the built-in file store has it. */
  mediaUrl: string | null;
  at: string;
};
