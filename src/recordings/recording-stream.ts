export const RECORDING_STREAM_PREFIX = 'recording-';

export const recordingStreamId = (recordingId: string): string => `${RECORDING_STREAM_PREFIX}${recordingId}`;

export function recordingIdFromStream(streamId: string): string | null {
  return streamId.startsWith(RECORDING_STREAM_PREFIX) ? streamId.slice(RECORDING_STREAM_PREFIX.length) : null;
}
