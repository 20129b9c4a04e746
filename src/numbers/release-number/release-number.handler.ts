import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { numberStream } from '../number.stream-type';
import { NumberLookup } from '../number-lookup';
import type { NumberOutcome } from '../number-outcome';
import { ReleaseNumberCommand } from './release-number.command';

@CommandHandler(ReleaseNumberCommand)
export class ReleaseNumberHandler implements ICommandHandler<ReleaseNumberCommand, NumberOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly lookup: NumberLookup,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ numberId, metadata, ifMatch }: ReleaseNumberCommand): Promise<NumberOutcome> {
    const customerId = metadata.customerId;
    const { key, phoneNumber } = this.lookup.streamKeyOf(customerId, numberId);
    return this.commands.run(
      numberStream,
      key,
      {
        type: 'ReleaseNumber',
        data: { numberId, customerId, phoneNumber, at: this.clock.now().toISOString() },
      },
      metadata,
      { ifMatch },
    );
  }
}
