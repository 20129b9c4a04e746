import type { RecordingFiles } from '../files/recording-files';
import { wavFile } from '../wav-file';
import type { MediaRecordingSignal, RecordingStopMediaRequest } from './recording-media';

/**
 * The simulated media layer's audio: longer recordings are cut to this many seconds of sound (16 KB a
 * second), while their `duration` still says how long they ran. A documented magic number (README).
 */
export const MAX_SIMULATED_RECORDING_SEC = 600;

/**
 * What the simulated gateway does on a stop: writes a WAV file as long as the recording ran (from its
 * start to the stop request) and builds the `finished` report. Rewriting the same file for a repeated stop
 * is harmless: same id, same length, same bytes.
 */
export class SimulatedRecorder {
  constructor(private readonly files: RecordingFiles) {}

  async finish(request: RecordingStopMediaRequest, at: string): Promise<MediaRecordingSignal> {
    const durationMs = Math.max(0, Date.parse(request.tmStopRequested) - Date.parse(request.tmStart));
    await this.files.write(
      request.recordingId,
      wavFile(Math.min(durationMs, MAX_SIMULATED_RECORDING_SEC * 1000)),
    );
    return {
      recordingId: request.recordingId,
      customerId: request.customerId,
      signalId: `sim-${request.recordingId}-finished`,
      signal: 'finished',
      tmEnd: request.tmStopRequested,
      durationSec: Math.round(durationMs / 1000),
      mediaUrl: null,
      at,
    };
  }
}
