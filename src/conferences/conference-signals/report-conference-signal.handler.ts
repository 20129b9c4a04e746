import { Inject, Logger, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MEDIA_GATEWAY, type MediaGateway } from '../../calls/media-gateway/media-gateway.port';
import { CommandExecutor } from '../../command-handling/command-executor';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { conferenceDecider } from '../conference.decider';
import type { ConferencecallOutcome } from '../conference-outcome';
import { conferenceStreamId } from '../conference-stream';
import type { Conferencecall } from '../conferencecall';
import { conferencecallStream } from '../conferencecall.stream-type';
import { ReportConferenceSignalCommand } from './report-conference-signal.command';

/**
 * ConfirmJoined / ConfirmLeft. A `joined` that arrives after a kick or a leave decides nothing (the
 * participant never moves back), but the join it reports may have happened after our leave request (a kick
 * racing the join), so the call may now sit in the bridge: the leave is asked for again. The gateway's
 * idempotency absorbs a leave it already did, and its `left` for a gone participant decides nothing.
 */
@CommandHandler(ReportConferenceSignalCommand)
export class ReportConferenceSignalHandler
  implements ICommandHandler<ReportConferenceSignalCommand, ConferencecallOutcome>
{
  private readonly logger = new Logger(ReportConferenceSignalHandler.name);

  constructor(
    private readonly commands: CommandRunner,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(MEDIA_GATEWAY) private readonly gateway?: MediaGateway,
  ) {}

  async execute(command: ReportConferenceSignalCommand): Promise<ConferencecallOutcome> {
    const { conferencecallId, signal, metadata } = command;
    const data = {
      conferencecallId,
      customerId: metadata.customerId,
      at: command.at ?? this.clock.now().toISOString(),
    };
    const outcome = await this.commands.run(
      conferencecallStream,
      conferencecallId,
      signal === 'joined' ? { type: 'ConfirmJoined', data } : { type: 'ConfirmLeft', data },
      metadata,
    );
    // The tenant rule let it through, so the participant exists.
    const participant = outcome.state!;
    if (outcome.events.length === 0 && signal === 'joined' && participant.status !== 'joined') {
      this.logger.warn(`late "joined" for ${participant.status} conferencecall ${conferencecallId}: ignored`);
      // The media layer says the call is in the bridge while we have it leaving or out: take it out again.
      await this.leaveAgain(participant);
    }
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
