import { CALL_HISTORY } from '../calls/call-history/call-history.projection';
import type { StreamType } from '../command-handling/stream-type';
import { CONFERENCES_PROJECTION } from '../conferences/conferences-read-model/conferences.projection';
import { notFound } from '../domain/domain-error';
import { USAGE } from '../usage/usage-read-model-name';
import { RECORDINGS_PROJECTION } from './read-model/recordings.projection';
import type { RecordingEvent, RecordingState } from './recording';
import { type RecordingCommand, recordingDecider } from './recording.decider';
import { RECORDING_STREAM_PREFIX } from './recording-stream';

/**
 * The recording stream type: `recording-<id>`, owned by the tenant of the recorded call or conference.
 * A recording command changes the target's view too (`recording_id`), so it waits for both read models.
 */
export const recordingStream: StreamType<RecordingCommand, RecordingEvent, RecordingState> = {
  streamPrefix: RECORDING_STREAM_PREFIX,
  decider: recordingDecider,
  ownerOf: (state) => state?.customerId ?? null,
  notFound: (recordingId) =>
    notFound('recording.not_found', `recording ${recordingId} not found`, { recordingId }),
  creates: (command) => command.type === 'StartRecording',
  // Usage meters a finished recording: the media layer's report answers once GET /v1/usage shows it.
  readModels: [RECORDINGS_PROJECTION, CALL_HISTORY, CONFERENCES_PROJECTION, USAGE],
};
