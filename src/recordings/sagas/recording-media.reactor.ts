import { Inject, Injectable } from '@nestjs/common';
import { MEDIA_GATEWAY, type MediaGateway } from '../../calls/media-gateway/media-gateway.port';
import { CommandExecutor } from '../../command-handling/command-executor';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import type { RecordingMediaRequest } from '../media/recording-media';
import type { Recording } from '../recording';
import { recordingDecider } from '../recording.decider';
import { RECORDING_STREAM_PREFIX } from '../recording-stream';

/**
 * Tells the media gateway what the recording stream decided: record on `RecordingStarted`, stop on
 * `RecordingStopRequested`. Like `call-media`, it acts on the CURRENT state (at-least-once delivery, and a
 * new reactor replays history): a recording is started only while still `recording`, stopped only while
 * `stopping`; repeats that slip through are absorbed by the gateway's idempotency. Not registered in
 * external mode: an external media layer follows the event feed.
 */
@Injectable()
export class RecordingMediaReactor implements Reactor {
  readonly name = 'recordings.media';
  readonly filter = {
    streamPrefixes: [RECORDING_STREAM_PREFIX],
    eventTypes: ['RecordingStarted', 'RecordingStopRequested'],
  };

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(MEDIA_GATEWAY) private readonly gateway: MediaGateway,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const { state } = await this.executor.load(recordingDecider, event.streamId);
    if (state === null) return;
    if (event.type === 'RecordingStarted') {
      if (state.status === 'recording') await this.gateway.startRecording(requestOf(state));
      return;
    }
    if (state.status === 'stopping' && state.tmStopRequested !== null)
      await this.gateway.stopRecording({ ...requestOf(state), tmStopRequested: state.tmStopRequested });
  }
}

function requestOf(recording: Recording): RecordingMediaRequest {
  return {
    recordingId: recording.id,
    customerId: recording.customerId,
    referenceType: recording.referenceType,
    referenceId: recording.referenceId,
    format: recording.format,
    tmStart: recording.tmStart,
  };
}
