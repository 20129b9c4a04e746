import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { conferenceStream } from '../conference.stream-type';
import type { ConferenceOutcome } from '../conference-outcome';
import { CreateConferenceCommand } from './create-conference.command';

/** A generated id is time-ordered and new: the stream is not read, the append expects `no_stream`. */
@CommandHandler(CreateConferenceCommand)
export class CreateConferenceHandler implements ICommandHandler<CreateConferenceCommand, ConferenceOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ input, metadata }: CreateConferenceCommand): Promise<ConferenceOutcome> {
    const conferenceId = this.ids.newId();
    const at = this.clock.now().toISOString();
    return this.commands.run(
      conferenceStream,
      conferenceId,
      { type: 'CreateConference', data: { ...input, conferenceId, customerId: metadata.customerId, at } },
      metadata,
      { fresh: true },
    );
  }
}
