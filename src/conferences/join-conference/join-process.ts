import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { callDecider } from '../../calls/call.decider';
import { callStream } from '../../calls/call.stream-type';
import { callStreamId } from '../../calls/call-stream';
import { MEDIA_GATEWAY, type MediaGateway } from '../../calls/media-gateway/media-gateway.port';
import { CommandExecutor } from '../../command-handling/command-executor';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { DomainError } from '../../domain/domain-error';
import type { Conference } from '../conference';
import { conferenceDecider } from '../conference.decider';
import { conferenceStream } from '../conference.stream-type';
import type { ConferencecallOutcome } from '../conference-outcome';
import { conferenceStreamId } from '../conference-stream';
import { conferencecallStreamId } from '../conferencecall';
import { conferencecallDecider } from '../conferencecall.decider';
import { conferencecallStream } from '../conferencecall.stream-type';
import { maxPosition, ParticipantCleanup, type ParticipationRef } from './participant-cleanup';

/**
 * The join process manager (steps documented at the top of `conferencecall.decider.ts`). Each step is a
 * command on one aggregate under that aggregate's revision; the rules are never checked against a read
 * model. Internal steps use the executor directly: they are parts of one use case, not use cases.
 *
 * Before step 1 the same rules are dry-run on the current conference and call, so a join that would be
 * refused answers its 404/409 without leaving an aborted participant behind. The dry run is advisory: a
 * concurrent change is still caught by the real steps, which then abort and compensate. A refused join
 * answers only once its abort is visible in the read models, which list no aborted participant: a client
 * never sees a participant it was refused (issue 11, defect 2).
 */
@Injectable()
export class JoinProcess {
  private readonly logger = new Logger(JoinProcess.name);

  constructor(
    private readonly executor: CommandExecutor,
    private readonly commands: CommandRunner,
    private readonly cleanup: ParticipantCleanup,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(MEDIA_GATEWAY) private readonly gateway?: MediaGateway,
  ) {}

  /** Answers when the write is visible in the conference read models, refused or not. */
  async join(ref: ParticipationRef, metadata: CommandMetadata): Promise<ConferencecallOutcome> {
    const conference = await this.preflight(ref);
    const { conferencecallId, conferenceId, callId, customerId } = ref;
    const stream = conferencecallStreamId(conferencecallId);

    // 1. The participant exists, `joining`. Its id is fresh: nothing to read.
    const started = await this.executor.run(
      conferencecallStream,
      conferencecallId,
      {
        type: 'StartJoining',
        data: { ...this.refOf(ref), conferenceId, referenceType: 'call', referenceId: callId },
      },
      metadata,
      { fresh: true },
    );
    const positions = [started.position];
    try {
      // 2. The conference admits it: status and capacity, under the conference's revision.
      const admitted = await this.executor.run(
        conferenceStream,
        conferenceId,
        {
          type: 'AdmitParticipant',
          data: { conferenceId, customerId, conferencecallId, callId, at: this.now() },
        },
        metadata,
      );
      // 3. The call takes it: one conference per call, under the call's revision. Last gate: from here on
      // the call's stream names the participant, so its hangup saga finds it.
      const assigned = await this.executor.run(
        callStream,
        callId,
        {
          type: 'AssignConference',
          data: { callId, customerId, conferenceId, conferencecallId, at: this.now() },
        },
        metadata,
      );
      positions.push(admitted.position, assigned.position);
    } catch (error) {
      await this.abort(
        ref,
        metadata,
        error instanceof DomainError ? error.code : 'conferencecall.join_failed',
      );
      throw error;
    }

    // 4. Write, then read: a kick or a hangup may have raced with steps 2-3.
    const current = await this.executor.load(conferencecallDecider, stream);
    const participant = current.state!;
    positions.push(current.position);
    if (participant.status === 'leaved') {
      // Its clean-up may have run before steps 2-3 wrote: run it again now that they have.
      positions.push(await this.cleanup.run(ref, metadata));
    }
    if (participant.status === 'joining') await this.askGatewayToJoin(ref, conference, metadata);
    // `leaving`: kicked during the join; the kick's leave request and the clean-up after it finish the job.

    const latest =
      participant.status === 'joining' ? await this.executor.load(conferencecallDecider, stream) : current;
    const position = maxPosition(...positions, latest.position);
    await this.commands.visible(conferencecallStream, position);
    return { state: latest.state, revision: latest.revision!, position, events: started.events };
  }

  /** 404 for an unknown or foreign conference or call, 409 naming the rule, before anything is written. */
  private async preflight(ref: ParticipationRef): Promise<Conference> {
    const { conferencecallId, conferenceId, callId, customerId } = ref;
    const at = this.now();
    const conference = await this.executor.load(conferenceDecider, conferenceStreamId(conferenceId));
    const call = await this.executor.load(callDecider, callStreamId(callId));
    conferenceDecider.decide(
      { type: 'AdmitParticipant', data: { conferenceId, customerId, conferencecallId, callId, at } },
      conference.state,
    );
    callDecider.decide(
      { type: 'AssignConference', data: { callId, customerId, conferenceId, conferencecallId, at } },
      call.state,
    );
    return conference.state!;
  }

  /** 5. The gateway bridges the call, playing the conference's pre actions, and later reports `joined`. */
  private async askGatewayToJoin(ref: ParticipationRef, conference: Conference, metadata: CommandMetadata) {
    if (!this.gateway) {
      this.logger.warn(`no media gateway bound: conferencecall ${ref.conferencecallId} stays joining`);
      return;
    }
    try {
      await this.gateway.joinConference({
        callId: ref.callId,
        customerId: ref.customerId,
        conferenceId: ref.conferenceId,
        conferencecallId: ref.conferencecallId,
        preActions: conference.preActions,
      });
    } catch (cause) {
      this.logger.warn(`media gateway refused to join ${ref.conferencecallId}: ${String(cause)}`);
      await this.abort(ref, metadata, 'media.join_refused');
      throw new DomainError(
        'unavailable',
        'media.join_refused',
        'The media gateway did not accept the join',
        {
          conferencecallId: ref.conferencecallId,
        },
      );
    }
  }

  /**
   * Refused or failed before the gateway joined: leaved, then undo whatever steps 2-3 wrote, and wait until
   * the read models show it, so the refusal is never answered while the participant can still be listed.
   */
  private async abort(ref: ParticipationRef, metadata: CommandMetadata, reason: string): Promise<void> {
    try {
      const aborted = await this.executor.run(
        conferencecallStream,
        ref.conferencecallId,
        { type: 'AbortJoin', data: { ...this.refOf(ref), reason } },
        metadata,
      );
      const cleaned = await this.cleanup.run(ref, metadata);
      await this.commands.visible(conferencecallStream, maxPosition(aborted.position, cleaned));
    } catch (error) {
      // The saga on ConferencecallJoinAborted retries the clean-up; a participant left `joining` (store down)
      // is the crash case of the decider's notes. The caller still gets the original error.
      this.logger.error(`could not abort join ${ref.conferencecallId}: ${String(error)}`);
    }
  }

  private refOf(ref: ParticipationRef) {
    return { conferencecallId: ref.conferencecallId, customerId: ref.customerId, at: this.now() };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
