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
import { StopConferenceCommand } from './stop-conference.command';

@CommandHandler(StopConferenceCommand)
export class StopConferenceHandler
  implements ICommandHandler<StopConferenceCommand, Versioned<ConferenceView>>
{
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    conferenceId,
    metadata,
    ifMatch,
  }: StopConferenceCommand): Promise<Versioned<ConferenceView>> {
    if (ifMatch !== undefined)
      await ensureConferenceVisible(this.executor, conferenceId, metadata.customerId);
    const outcome = await this.executor.execute({
      decider: conferenceDecider,
      streamId: conferenceStreamId(conferenceId),
      command: {
        type: 'StopConference',
        data: { conferenceId, customerId: metadata.customerId, at: this.clock.now().toISOString() },
      },
      metadata,
      ifMatch,
    });
    await this.readYourWrites.waitFor(outcome.position, CONFERENCE_READ_MODELS);
    return { view: conferenceViewOf(outcome.state!, outcome.revision!), revision: outcome.revision! };
  }
}
