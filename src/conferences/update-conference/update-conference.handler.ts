import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { conferenceStream } from '../conference.stream-type';
import type { ConferenceOutcome } from '../conference-outcome';
import { UpdateConferenceCommand } from './update-conference.command';

@CommandHandler(UpdateConferenceCommand)
export class UpdateConferenceHandler implements ICommandHandler<UpdateConferenceCommand, ConferenceOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ conferenceId, changes, metadata, ifMatch }: UpdateConferenceCommand): Promise<ConferenceOutcome> {
    const at = this.clock.now().toISOString();
    return this.commands.run(
      conferenceStream,
      conferenceId,
      { type: 'UpdateConference', data: { ...changes, conferenceId, customerId: metadata.customerId, at } },
      metadata,
      { ifMatch },
    );
  }
}
