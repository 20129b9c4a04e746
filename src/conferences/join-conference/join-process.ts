import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { callDecider } from '../../calls/call.decider';
import { callStreamId } from '../../calls/call-stream';
import { MEDIA_GATEWAY, type MediaGateway } from '../../calls/media-gateway/media-gateway.port';
import { CommandExecutor } from '../../command-handling/command-executor';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { CLOCK, type Clock } from '../../domain/clock';
import { DomainError } from '../../domain/domain-error';
import type { Conference } from '../conference';
import { conferenceDecider } from '../conference.decider';
import { conferenceStreamId } from '../conference-stream';
import { type Conferencecall, conferencecallStreamId } from '../conferencecall';
import { conferencecallDecider } from '../conferencecall.decider';
import { maxPosition, ParticipantCleanup, type ParticipationRef } from './participant-cleanup';

export interface JoinOutcome {
  participant: Conferencecall;
  revision: bigint;
  /** Highest global position this join wrote: wait for it before answering. */
  position: bigint | null;
}

/**
 * The join process manager (steps documented at the top of `conferencecall.decider.ts`). Each step is a
 * command on one aggregate under that aggregate's revision; the rules are never checked against a read
 * model. Internal steps use the executor directly: they are parts of one use case, not use cases.
 *
 * Before step 1 the same rules are dry-run on the current conference and call, so a join that would be
 * refused answers its 404/409 without leaving an aborted participant behind. The dry run is advisory: a
 * concurrent change is still caught by the real steps, which then abort and compensate.
 */
@Injectable()
export class JoinProcess {
  private readonly logger = new Logger(JoinProcess.name);

  constructor(
    private readonly executor: CommandExecutor,
    private readonly cleanup: ParticipantCleanup,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(MEDIA_GATEWAY) private readonly gateway?: MediaGateway,
  ) {}

  async join(ref: ParticipationRef, metadata: CommandMetadata): Promise<JoinOutcome> {
    const conference = await this.preflight(ref);
    const { conferencecallId, conferenceId, callId, customerId } = ref;
    const stream = conferencecallStreamId(conferencecallId);

    // 1. The participant exists, `joining`.
    const started = await this.executor.execute({
      decider: conferencecallDecider,
      streamId: stream,
      command: {
        type: 'StartJoining',
        data: { ...this.refOf(ref), conferenceId, referenceType: 'call', referenceId: callId },
      },
      metadata,
    });
    const positions = [started.position];
    try {
      // 2. The conference admits it: status and capacity, under the conference's revision.
      const admitted = await this.executor.execute({
        decider: conferenceDecider,
        streamId: conferenceStreamId(conferenceId),
        command: {
          type: 'AdmitParticipant',
          data: { conferenceId, customerId, conferencecallId, callId, at: this.now() },
        },
        metadata,
      });
      // 3. The call takes it: one conference per call, under the call's revision. Last gate: from here on
      // the call's stream names the participant, so its hangup saga finds it.
      const assigned = await this.executor.execute({
        decider: callDecider,
        streamId: callStreamId(callId),
        command: {
          type: 'AssignConference',
          data: { callId, customerId, conferenceId, conferencecallId, at: this.now() },
        },
        metadata,
      });
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
    return {
      participant: latest.state!,
      revision: latest.revision!,
      position: maxPosition(...positions, latest.position),
    };
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

  /** Refused or failed before the gateway joined: leaved, then undo whatever steps 2-3 wrote. */
  private async abort(ref: ParticipationRef, metadata: CommandMetadata, reason: string): Promise<void> {
    try {
      await this.executor.execute({
        decider: conferencecallDecider,
        streamId: conferencecallStreamId(ref.conferencecallId),
        command: { type: 'AbortJoin', data: { ...this.refOf(ref), reason } },
        metadata,
      });
      await this.cleanup.run(ref, metadata);
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
