import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import type { ConferencecallOutcome } from '../conference-outcome';
import { conferencecallStream } from '../conferencecall.stream-type';
import { KickConferencecallCommand } from './kick-conferencecall.command';

/** The leave itself (media gateway, post actions) is the kick saga's job, on ConferencecallKicked. */
@CommandHandler(KickConferencecallCommand)
export class KickConferencecallHandler
  implements ICommandHandler<KickConferencecallCommand, ConferencecallOutcome>
{
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({
    conferencecallId,
    metadata,
    ifMatch,
  }: KickConferencecallCommand): Promise<ConferencecallOutcome> {
    const at = this.clock.now().toISOString();
    return this.commands.run(
      conferencecallStream,
      conferencecallId,
      { type: 'Kick', data: { conferencecallId, customerId: metadata.customerId, at } },
      metadata,
      { ifMatch },
    );
  }
}
