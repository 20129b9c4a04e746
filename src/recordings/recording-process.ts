import { Inject, Injectable } from '@nestjs/common';
import { callStream } from '../calls/call.stream-type';
import { CommandExecutor } from '../command-handling/command-executor';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { CommandRunner, type Written } from '../command-handling/command-runner';
import { conferenceStream } from '../conferences/conference.stream-type';
import { maxPosition } from '../conferences/join-conference/participant-cleanup';
import { CLOCK, type Clock } from '../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../domain/id-generator';
import type { RecordingEvent, RecordingState } from './recording';
import { recordingStream } from './recording.stream-type';
import type { RecordingFormat, RecordingStopReason, RecordingTarget } from './recording-slot';

export type RecordingOutcome = Written<RecordingEvent, RecordingState>;

export interface StartRecordingInput {
  target: RecordingTarget;
  /** A client- or action-chosen id; a fresh one otherwise. */
  recordingId?: string;
  format?: RecordingFormat;
}

export interface StopRecordingInput {
  target: RecordingTarget;
  /** null: the running one (409 `<kind>.not_recording` when none). */
  recordingId?: string | null;
  reason?: RecordingStopReason;
}

/**
 * Start and stop, in two steps each, every step a command on one aggregate under its own revision:
 *
 * 1. The target (call or conference) takes or frees its recording slot. This is where the rules live:
 *    answered call / running conference, one recording at a time, something to stop. 404 for a foreign id.
 * 2. The recording stream follows: created (`RecordingStarted`) or asked to stop (`RecordingStopRequested`).
 *
 * Step 2 cannot be refused once step 1 passed, and it is idempotent, so when a crash falls between the two
 * the `recordings.lifecycle` saga, which reacts to step 1's events, completes it. The media layer is told by
 * the `recordings.media` saga, under the exclusive-work lease. Used by HTTP routes and by call actions
 * (`record_start` / `record_stop`) alike; answers once the write is visible in the read models.
 */
@Injectable()
export class RecordingProcess {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async start(input: StartRecordingInput, metadata: CommandMetadata): Promise<RecordingOutcome> {
    const recordingId = input.recordingId ?? this.ids.newId();
    const format = input.format ?? 'wav';
    const { customerId } = metadata;
    const at = this.now();
    const { kind, id } = input.target;
    const taken =
      kind === 'call'
        ? await this.executor.run(
            callStream,
            id,
            { type: 'StartCallRecording', data: { callId: id, customerId, recordingId, format, at } },
            metadata,
          )
        : await this.executor.run(
            conferenceStream,
            id,
            {
              type: 'StartConferenceRecording',
              data: { conferenceId: id, customerId, recordingId, format, at },
            },
            metadata,
          );
    const created = await this.executor.run(
      recordingStream,
      recordingId,
      { type: 'StartRecording', data: { recordingId, customerId, target: input.target, format, at } },
      metadata,
      { fresh: input.recordingId === undefined },
    );
    return this.visible(recordingId, created, taken.position);
  }

  async stop(input: StopRecordingInput, metadata: CommandMetadata): Promise<RecordingOutcome> {
    const { customerId } = metadata;
    const at = this.now();
    const reason = input.reason ?? 'requested';
    const asked = input.recordingId ?? null;
    const { kind, id } = input.target;
    const freed =
      kind === 'call'
        ? await this.executor.run(
            callStream,
            id,
            { type: 'StopCallRecording', data: { callId: id, customerId, recordingId: asked, reason, at } },
            metadata,
          )
        : await this.executor.run(
            conferenceStream,
            id,
            {
              type: 'StopConferenceRecording',
              data: { conferenceId: id, customerId, recordingId: asked, reason, at },
            },
            metadata,
          );
    // Without an id the decider either named the running recording in its event or refused (409).
    const stopped = stoppedIdIn(freed.events) ?? asked;
    if (stopped === null) throw new Error('a stop without a recording id decided nothing');
    const requested = await this.executor.run(
      recordingStream,
      stopped,
      { type: 'StopRecording', data: { recordingId: stopped, customerId, reason, at } },
      metadata,
    );
    return this.visible(stopped, requested, freed.position);
  }

  private async visible(
    recordingId: string,
    outcome: {
      state: RecordingState;
      revision: bigint | null;
      position: bigint | null;
      events: readonly RecordingEvent[];
    },
    targetPosition: bigint | null,
  ): Promise<RecordingOutcome> {
    if (outcome.revision === null) throw recordingStream.notFound(recordingId);
    const position = maxPosition(outcome.position, targetPosition);
    await this.commands.visible(recordingStream, position);
    return { ...outcome, revision: outcome.revision, position };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

function stoppedIdIn(events: readonly { type: string; data: unknown }[]): string | null {
  const stop = events.find(
    (e) => e.type === 'CallRecordingStopped' || e.type === 'ConferenceRecordingStopped',
  );
  return stop ? (stop.data as { recordingId: string }).recordingId : null;
}
