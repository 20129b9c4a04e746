import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MEDIA_GATEWAY, type MediaGateway } from '../../calls/media-gateway/media-gateway.port';
import { CommandExecutor } from '../../command-handling/command-executor';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { conferenceDecider } from '../conference.decider';
import { conferenceStreamId } from '../conference-stream';
import {
  CONFERENCECALL_STREAM_PREFIX,
  type ConferencecallKicked,
  conferencecallStreamId,
} from '../conferencecall';
import { conferencecallDecider } from '../conferencecall.decider';

/**
 * A kicked participant is `leaving`: ask the media gateway to take its call out, with the conference's post
 * actions; the gateway confirms with `left`. Checked against the current state first, so a redelivered
 * event never asks again for a participant that has already left. A gateway failure is retried with backoff
 * by the reactor runtime; if the call hangs up meanwhile, the hangup saga finishes the leave.
 */
@Injectable()
export class KickLeaveReactor implements Reactor {
  readonly name = 'conferences.kick-leave';
  readonly filter = { eventTypes: ['ConferencecallKicked'], streamPrefixes: [CONFERENCECALL_STREAM_PREFIX] };
  private readonly logger = new Logger(KickLeaveReactor.name);

  constructor(
    private readonly executor: CommandExecutor,
    @Optional() @Inject(MEDIA_GATEWAY) private readonly gateway?: MediaGateway,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const data = event.data as ConferencecallKicked['data'];
    const { state: participant } = await this.executor.load(
      conferencecallDecider,
      conferencecallStreamId(data.conferencecallId),
    );
    if (participant?.status !== 'leaving') return;
    if (!this.gateway) {
      this.logger.warn(`no media gateway bound: conferencecall ${participant.id} stays leaving`);
      return;
    }
    const { state: conference } = await this.executor.load(
      conferenceDecider,
      conferenceStreamId(data.conferenceId),
    );
    await this.gateway.leaveConference({
      callId: participant.referenceId,
      customerId: participant.customerId,
      conferenceId: participant.conferenceId,
      conferencecallId: participant.id,
      postActions: conference?.postActions ?? [],
    });
  }
}
