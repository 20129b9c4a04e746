import { assertNever, type DomainEvent } from '../domain/decider';
import type { RecordingFormat, RecordingStopReason, RecordingTargetKind } from './recording-slot';

/**
 * The recording aggregate, stream `recording-<id>`: one capture of a call's or a conference's audio.
 * `recording` (the media layer was asked to record) → `stopping` (asked to stop) → `finished` (the media
 * layer reported the file). A recording the media layer ends on its own goes straight to `finished`.
 * Event data is plain JSON, stable forever (see `call.events.ts`).
 */
export type RecordingStatus = 'recording' | 'stopping' | 'finished';

export type RecordingStarted = DomainEvent<
  'RecordingStarted',
  {
    recordingId: string;
    customerId: string;
    referenceType: RecordingTargetKind;
    referenceId: string;
    format: RecordingFormat;
    at: string;
  }
>;
export type RecordingStopRequested = DomainEvent<
  'RecordingStopRequested',
  { recordingId: string; reason: RecordingStopReason; at: string }
>;
/** The media layer has the file. `mediaUrl`: where an external media layer keeps it (null: we serve it). */
export type RecordingFinished = DomainEvent<
  'RecordingFinished',
  {
    recordingId: string;
    signalId: string;
    tmEnd: string;
    durationSec: number;
    mediaUrl: string | null;
    at: string;
  }
>;

export type RecordingEvent = RecordingStarted | RecordingStopRequested | RecordingFinished;

export interface Recording {
  id: string;
  customerId: string;
  referenceType: RecordingTargetKind;
  referenceId: string;
  format: RecordingFormat;
  status: RecordingStatus;
  stopReason: RecordingStopReason | null;
  tmStart: string;
  tmStopRequested: string | null;
  tmEnd: string | null;
  durationSec: number | null;
  mediaUrl: string | null;
  tmUpdate: string;
}

export type RecordingState = Recording | null;
export const initialRecordingState: RecordingState = null;

export function evolveRecording(state: RecordingState, event: RecordingEvent): RecordingState {
  if (event.type === 'RecordingStarted') {
    const d = event.data;
    return {
      id: d.recordingId,
      customerId: d.customerId,
      referenceType: d.referenceType,
      referenceId: d.referenceId,
      format: d.format,
      status: 'recording',
      stopReason: null,
      tmStart: d.at,
      tmStopRequested: null,
      tmEnd: null,
      durationSec: null,
      mediaUrl: null,
      tmUpdate: d.at,
    };
  }
  // Nothing precedes a recording's start in its stream; ignoring keeps evolve total.
  if (state === null) return state;
  switch (event.type) {
    case 'RecordingStopRequested':
      return {
        ...state,
        status: 'stopping',
        stopReason: event.data.reason,
        tmStopRequested: event.data.at,
        tmUpdate: event.data.at,
      };
    case 'RecordingFinished':
      return {
        ...state,
        status: 'finished',
        stopReason: state.stopReason ?? 'media_ended',
        tmEnd: event.data.tmEnd,
        durationSec: event.data.durationSec,
        mediaUrl: event.data.mediaUrl,
        tmUpdate: event.data.at,
      };
    default:
      return assertNever(event);
  }
}

/** The API link of a recording's audio; it answers 404 until the recording is finished. */
export const recordingFileUrl = (recordingId: string): string => `/v1/recordings/${recordingId}/file`;
