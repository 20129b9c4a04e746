import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { generateApiKey, hashApiKey } from '../api-key';
import type { IssuedKeyView } from '../create-customer/create-customer.command';
import { customerStreamId } from '../customer';
import { customerDecider } from '../customer.decider';
import { IssueApiKeyCommand } from './issue-api-key.command';

@CommandHandler(IssueApiKeyCommand)
export class IssueApiKeyHandler implements ICommandHandler<IssueApiKeyCommand, IssuedKeyView> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ customerId, role, metadata }: IssueApiKeyCommand): Promise<IssuedKeyView> {
    const key = generateApiKey();
    const keyId = this.ids.newId();
    const at = this.clock.now().toISOString();
    const outcome = await this.executor.execute({
      decider: customerDecider,
      streamId: customerStreamId(customerId),
      command: { type: 'IssueApiKey', customerId, keyId, role, keyHash: hashApiKey(key), at },
      metadata: { ...metadata, customerId },
    });
    await this.readYourWrites.waitFor(outcome.position);
    return { id: keyId, customer_id: customerId, role, key, issued_at: at };
  }
}
