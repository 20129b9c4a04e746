import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { ConferenceOfTenant } from '../conference-of-tenant';
import { numberStream } from '../number.stream-type';
import { NumberLookup } from '../number-lookup';
import type { NumberOutcome } from '../number-outcome';
import { UpdateNumberCommand } from './update-number.command';

@CommandHandler(UpdateNumberCommand)
export class UpdateNumberHandler implements ICommandHandler<UpdateNumberCommand, NumberOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly lookup: NumberLookup,
    private readonly conferences: ConferenceOfTenant,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ numberId, routing, metadata, ifMatch }: UpdateNumberCommand): Promise<NumberOutcome> {
    const customerId = metadata.customerId;
    const { key, phoneNumber } = this.lookup.streamKeyOf(customerId, numberId);
    this.conferences.check(customerId, routing.conferenceId);
    return this.commands.run(
      numberStream,
      key,
      {
        type: 'UpdateNumber',
        data: { ...routing, numberId, customerId, phoneNumber, at: this.clock.now().toISOString() },
      },
      metadata,
      { ifMatch },
    );
  }
}
