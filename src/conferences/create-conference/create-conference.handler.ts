import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { conferenceDecider } from '../conference.decider';
import type { Versioned } from '../conference-result';
import { conferenceStreamId } from '../conference-stream';
import { type ConferenceView, conferenceViewOf } from '../conference-view';
import { CONFERENCE_READ_MODELS } from '../conferences-read-model/conference-read-models';
import { CreateConferenceCommand } from './create-conference.command';

@CommandHandler(CreateConferenceCommand)
export class CreateConferenceHandler
  implements ICommandHandler<CreateConferenceCommand, Versioned<ConferenceView>>
{
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ input, metadata }: CreateConferenceCommand): Promise<Versioned<ConferenceView>> {
    const conferenceId = this.ids.newId();
    const outcome = await this.executor.execute({
      decider: conferenceDecider,
      streamId: conferenceStreamId(conferenceId),
      command: {
        type: 'CreateConference',
        data: { ...input, conferenceId, customerId: metadata.customerId, at: this.clock.now().toISOString() },
      },
      metadata,
    });
    await this.readYourWrites.waitFor(outcome.position, CONFERENCE_READ_MODELS);
    // A fresh stream always yields a conference: the decider refuses an existing one.
    return { view: conferenceViewOf(outcome.state!, outcome.revision!), revision: outcome.revision! };
  }
}
