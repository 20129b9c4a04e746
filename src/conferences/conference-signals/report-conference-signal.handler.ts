import { Inject, Logger, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MEDIA_GATEWAY, type MediaGateway } from '../../calls/media-gateway/media-gateway.port';
import { CommandExecutor, type CommandOutcome } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { conferenceDecider } from '../conference.decider';
import { conferenceStreamId } from '../conference-stream';
import {
  type Conferencecall,
  type ConferencecallEvent,
  type ConferencecallState,
  conferencecallStreamId,
} from '../conferencecall';
import { conferencecallDecider } from '../conferencecall.decider';
import { CONFERENCE_READ_MODELS } from '../conferences-read-model/conference-read-models';
import { ReportConferenceSignalCommand } from './report-conference-signal.command';

export type ConferenceSignalOutcome = CommandOutcome<ConferencecallEvent, ConferencecallState>;

/**
 * ConfirmJoined / ConfirmLeft. A `joined` that arrives after a kick or a leave decides nothing (the
 * participant never moves back), but the join it reports may have happened after our leave request (a kick
 * racing the join), so the call may now sit in the bridge: the leave is asked for again. The gateway's
 * idempotency absorbs a leave it already did, and its `left` for a gone participant decides nothing.
 */
@CommandHandler(ReportConferenceSignalCommand)
export class ReportConferenceSignalHandler
  implements ICommandHandler<ReportConferenceSignalCommand, ConferenceSignalOutcome>
{
  private readonly logger = new Logger(ReportConferenceSignalHandler.name);

  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(MEDIA_GATEWAY) private readonly gateway?: MediaGateway,
  ) {}

  async execute(command: ReportConferenceSignalCommand): Promise<ConferenceSignalOutcome> {
    const { conferencecallId, signal, metadata } = command;
    const data = {
      conferencecallId,
      customerId: metadata.customerId,
      at: command.at ?? this.clock.now().toISOString(),
    };
    const outcome = await this.executor.execute({
      decider: conferencecallDecider,
      streamId: conferencecallStreamId(conferencecallId),
      command: signal === 'joined' ? { type: 'ConfirmJoined', data } : { type: 'ConfirmLeft', data },
      metadata,
    });
    const participant = outcome.state!;
    if (outcome.events.length === 0 && signal === 'joined' && participant.status !== 'joined') {
      this.logger.warn(`late "joined" for ${participant.status} conferencecall ${conferencecallId}: ignored`);
      // The media layer says the call is in the bridge while we have it leaving or out: take it out again.
      await this.leaveAgain(participant);
    }
    await this.readYourWrites.waitFor(outcome.position, CONFERENCE_READ_MODELS);
    return outcome;
  }

  private async leaveAgain(participant: Conferencecall): Promise<void> {
    if (!this.gateway) return;
    const { state: conference } = await this.executor.load(
      conferenceDecider,
      conferenceStreamId(participant.conferenceId),
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
