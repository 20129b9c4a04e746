import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { ConferenceOfTenant } from '../conference-of-tenant';
import { numberStream } from '../number.stream-type';
import type { NumberOutcome } from '../number-outcome';
import { numberKey } from '../number-stream';
import { RegisterNumberCommand } from './register-number.command';

/**
 * Registers on the number's own stream, so uniqueness is the store's expected revision: of two tenants
 * racing for one number, one append wins and the other is re-decided on the winner's state (409).
 */
@CommandHandler(RegisterNumberCommand)
export class RegisterNumberHandler implements ICommandHandler<RegisterNumberCommand, NumberOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly conferences: ConferenceOfTenant,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ phoneNumber, routing, metadata }: RegisterNumberCommand): Promise<NumberOutcome> {
    const customerId = metadata.customerId;
    this.conferences.check(customerId, routing.conferenceId);
    return this.commands.run(
      numberStream,
      numberKey(phoneNumber),
      {
        type: 'RegisterNumber',
        data: {
          ...routing,
          numberId: this.ids.newId(),
          customerId,
          phoneNumber,
          at: this.clock.now().toISOString(),
        },
      },
      metadata,
    );
  }
}
