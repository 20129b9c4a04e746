import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { ensureConferencecallVisible } from '../conference-access';
import type { Versioned } from '../conference-result';
import { type ConferencecallView, conferencecallViewOf } from '../conference-view';
import { conferencecallStreamId } from '../conferencecall';
import { conferencecallDecider } from '../conferencecall.decider';
import { CONFERENCE_READ_MODELS } from '../conferences-read-model/conference-read-models';
import { KickConferencecallCommand } from './kick-conferencecall.command';

/** The leave itself (media gateway, post actions) is the kick saga's job, on ConferencecallKicked. */
@CommandHandler(KickConferencecallCommand)
export class KickConferencecallHandler
  implements ICommandHandler<KickConferencecallCommand, Versioned<ConferencecallView>>
{
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: KickConferencecallCommand): Promise<Versioned<ConferencecallView>> {
    const { conferencecallId, metadata, ifMatch } = command;
    const customerId = metadata.customerId;
    if (ifMatch !== undefined) await ensureConferencecallVisible(this.executor, conferencecallId, customerId);
    const outcome = await this.executor.execute({
      decider: conferencecallDecider,
      streamId: conferencecallStreamId(conferencecallId),
      command: { type: 'Kick', data: { conferencecallId, customerId, at: this.clock.now().toISOString() } },
      metadata,
      ifMatch,
    });
    await this.readYourWrites.waitFor(outcome.position, CONFERENCE_READ_MODELS);
    return { view: conferencecallViewOf(outcome.state!, outcome.revision!), revision: outcome.revision! };
  }
}
