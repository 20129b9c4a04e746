import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { generateApiKey, hashApiKey } from '../api-key';
import { customerStreamId } from '../customer';
import { customerDecider } from '../customer.decider';
import { CreateCustomerCommand, type CustomerCreatedResult } from './create-customer.command';

@CommandHandler(CreateCustomerCommand)
export class CreateCustomerHandler implements ICommandHandler<CreateCustomerCommand, CustomerCreatedResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ input, metadata, presetKey }: CreateCustomerCommand): Promise<CustomerCreatedResult> {
    const customerId = input.customerId ?? this.ids.newId();
    const key = presetKey ?? generateApiKey();
    const keyId = this.ids.newId();
    const role = input.firstKeyRole ?? 'user';
    const at = this.clock.now().toISOString();
    const outcome = await this.executor.execute({
      decider: customerDecider,
      streamId: customerStreamId(customerId),
      command: {
        type: 'CreateCustomer',
        customerId,
        name: input.name,
        at,
        firstKey: { keyId, role, keyHash: hashApiKey(key) },
      },
      metadata: { ...metadata, customerId },
    });
    // The key must authenticate the very next request.
    await this.readYourWrites.waitFor(outcome.position);
    return {
      customer: { id: customerId, name: input.name, created_at: at },
      api_key: { id: keyId, customer_id: customerId, role, key, issued_at: at },
    };
  }
}
