import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { conferenceStream } from '../conference.stream-type';
import type { ConferenceOutcome } from '../conference-outcome';
import { StopConferenceCommand } from './stop-conference.command';

@CommandHandler(StopConferenceCommand)
export class StopConferenceHandler implements ICommandHandler<StopConferenceCommand, ConferenceOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ conferenceId, metadata, ifMatch }: StopConferenceCommand): Promise<ConferenceOutcome> {
    const at = this.clock.now().toISOString();
    return this.commands.run(
      conferenceStream,
      conferenceId,
      { type: 'StopConference', data: { conferenceId, customerId: metadata.customerId, at } },
      metadata,
      { ifMatch },
    );
  }
}
