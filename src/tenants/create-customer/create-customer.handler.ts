import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { generateApiKey, hashApiKey } from '../api-key';
import { customerStream } from '../customer.stream-type';
import { CreateCustomerCommand, type CustomerCreatedResult } from './create-customer.command';

@CommandHandler(CreateCustomerCommand)
export class CreateCustomerHandler implements ICommandHandler<CreateCustomerCommand, CustomerCreatedResult> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ input, metadata, presetKey }: CreateCustomerCommand): Promise<CustomerCreatedResult> {
    const customerId = input.customerId ?? this.ids.newId();
    const key = presetKey ?? generateApiKey();
    const keyId = this.ids.newId();
    const role = input.firstKeyRole ?? 'user';
    const at = this.clock.now().toISOString();
    await this.commands.run(
      customerStream,
      customerId,
      {
        type: 'CreateCustomer',
        customerId,
        name: input.name,
        at,
        firstKey: { keyId, role, keyHash: hashApiKey(key) },
      },
      { ...metadata, customerId },
    );
    return {
      customer: { id: customerId, name: input.name, created_at: at },
      api_key: { id: keyId, customer_id: customerId, role, key, issued_at: at },
    };
  }
}
