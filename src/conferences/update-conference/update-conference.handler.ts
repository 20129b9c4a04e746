import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { conferenceDecider } from '../conference.decider';
import { ensureConferenceVisible } from '../conference-access';
import type { Versioned } from '../conference-result';
import { conferenceStreamId } from '../conference-stream';
import { type ConferenceView, conferenceViewOf } from '../conference-view';
import { CONFERENCE_READ_MODELS } from '../conferences-read-model/conference-read-models';
import { UpdateConferenceCommand } from './update-conference.command';

@CommandHandler(UpdateConferenceCommand)
export class UpdateConferenceHandler
  implements ICommandHandler<UpdateConferenceCommand, Versioned<ConferenceView>>
{
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: UpdateConferenceCommand): Promise<Versioned<ConferenceView>> {
    const { conferenceId, changes, metadata, ifMatch } = command;
    if (ifMatch !== undefined)
      await ensureConferenceVisible(this.executor, conferenceId, metadata.customerId);
    const outcome = await this.executor.execute({
      decider: conferenceDecider,
      streamId: conferenceStreamId(conferenceId),
      command: {
        type: 'UpdateConference',
        data: {
          ...changes,
          conferenceId,
          customerId: metadata.customerId,
          at: this.clock.now().toISOString(),
        },
      },
      metadata,
      ifMatch,
    });
    await this.readYourWrites.waitFor(outcome.position, CONFERENCE_READ_MODELS);
    // The decider throws not_found for a missing or foreign conference, so state is set here.
    return { view: conferenceViewOf(outcome.state!, outcome.revision!), revision: outcome.revision! };
  }
}
