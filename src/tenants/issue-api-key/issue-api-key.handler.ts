import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { generateApiKey, hashApiKey } from '../api-key';
import type { IssuedKeyView } from '../create-customer/create-customer.command';
import { customerStream } from '../customer.stream-type';
import { IssueApiKeyCommand } from './issue-api-key.command';

@CommandHandler(IssueApiKeyCommand)
export class IssueApiKeyHandler implements ICommandHandler<IssueApiKeyCommand, IssuedKeyView> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ customerId, role, metadata }: IssueApiKeyCommand): Promise<IssuedKeyView> {
    const key = generateApiKey();
    const keyId = this.ids.newId();
    const at = this.clock.now().toISOString();
    await this.commands.run(
      customerStream,
      customerId,
      { type: 'IssueApiKey', customerId, keyId, role, keyHash: hashApiKey(key), at },
      { ...metadata, customerId },
    );
    return { id: keyId, customer_id: customerId, role, key, issued_at: at };
  }
}
