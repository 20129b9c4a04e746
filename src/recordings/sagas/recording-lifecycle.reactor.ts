import { Injectable, Logger } from '@nestjs/common';
import { isCall } from '../../calls/call';
import { callDecider } from '../../calls/call.decider';
import { CALL_STREAM_PREFIX } from '../../calls/call-stream';
import { CommandExecutor } from '../../command-handling/command-executor';
import { type CommandMetadata, causedBy } from '../../command-handling/command-metadata';
import { conferenceDecider } from '../../conferences/conference.decider';
import { CONFERENCE_STREAM_PREFIX } from '../../conferences/conference-stream';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { isFinal } from '../../reactors/reactor-runner';
import type { CallRecordingStarted, CallRecordingStopped } from '../call-recording';
import type { ConferenceRecordingStarted, ConferenceRecordingStopped } from '../conference-recording';
import { recordingDecider } from '../recording.decider';
import { recordingStream } from '../recording.stream-type';
import { RecordingProcess } from '../recording-process';
import type { RecordingStopReason, RecordingTarget } from '../recording-slot';
import { RECORDING_STREAM_PREFIX } from '../recording-stream';

export const RECORDING_SAGA_ACTOR = 'system:recordings';

type SlotStarted = CallRecordingStarted['data'] | ConferenceRecordingStarted['data'];
type SlotStopped = CallRecordingStopped['data'] | ConferenceRecordingStopped['data'];

/**
 * Keeps the target's slot and the recording stream in step, whatever happens between the two:
 * - a slot taken or freed (step 1 of `RecordingProcess`) → the recording stream's step 2, again (a no-op
 *   when the process did it, the completion when it crashed in between);
 * - a call hung up / a conference terminated while recording → the recording is stopped;
 * - the media layer finished a recording on its own → the target's slot is freed.
 * Every command here is idempotent, so at-least-once delivery is harmless.
 */
@Injectable()
export class RecordingLifecycleReactor implements Reactor {
  readonly name = 'recordings.lifecycle';
  readonly filter = {
    streamPrefixes: [CALL_STREAM_PREFIX, CONFERENCE_STREAM_PREFIX, RECORDING_STREAM_PREFIX],
    eventTypes: [
      'CallRecordingStarted',
      'ConferenceRecordingStarted',
      'CallRecordingStopped',
      'ConferenceRecordingStopped',
      'CallHungUp',
      'ConferenceTerminated',
      'RecordingFinished',
    ],
  };
  private readonly logger = new Logger(RecordingLifecycleReactor.name);

  constructor(
    private readonly executor: CommandExecutor,
    private readonly process: RecordingProcess,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const metadata = causedBy(event, RECORDING_SAGA_ACTOR);
    try {
      await this.reactTo(event, metadata);
    } catch (error) {
      if (!isFinal(error)) throw error;
      this.logger.warn(`${event.type} in ${event.streamId}: ${(error as Error).message}`);
    }
  }

  private async reactTo(event: RecordedEvent, metadata: CommandMetadata): Promise<void> {
    const { customerId } = metadata;
    switch (event.type) {
      case 'CallRecordingStarted':
      case 'ConferenceRecordingStarted': {
        const { recordingId, format, at } = event.data as SlotStarted;
        const target = targetOf(event);
        const data = { recordingId, customerId, target, format, at };
        await this.executor.run(recordingStream, recordingId, { type: 'StartRecording', data }, metadata);
        return;
      }
      case 'CallRecordingStopped':
      case 'ConferenceRecordingStopped': {
        const { recordingId, reason, at } = event.data as SlotStopped;
        const data = { recordingId, customerId, reason, at };
        await this.executor.run(recordingStream, recordingId, { type: 'StopRecording', data }, metadata);
        return;
      }
      case 'CallHungUp': {
        const { state } = await this.executor.load(callDecider, event.streamId);
        if (isCall(state) && state.recordingId !== null)
          await this.stop({ kind: 'call', id: state.id }, state.recordingId, 'call_ended', metadata);
        return;
      }
      case 'ConferenceTerminated': {
        const { state } = await this.executor.load(conferenceDecider, event.streamId);
        if (state?.recordingId)
          await this.stop(
            { kind: 'conference', id: state.id },
            state.recordingId,
            'conference_ended',
            metadata,
          );
        return;
      }
      case 'RecordingFinished': {
        const { state } = await this.executor.load(recordingDecider, event.streamId);
        if (state === null) return;
        const target = { kind: state.referenceType, id: state.referenceId };
        await this.stop(target, state.id, 'media_ended', metadata);
        return;
      }
    }
  }

  private stop(
    target: RecordingTarget,
    recordingId: string,
    reason: RecordingStopReason,
    metadata: CommandMetadata,
  ) {
    return this.process.stop({ target, recordingId, reason }, metadata);
  }
}

function targetOf(event: RecordedEvent): RecordingTarget {
  const call = event.streamId.startsWith(CALL_STREAM_PREFIX);
  const prefix = call ? CALL_STREAM_PREFIX : CONFERENCE_STREAM_PREFIX;
  return { kind: call ? 'call' : 'conference', id: event.streamId.slice(prefix.length) };
}
