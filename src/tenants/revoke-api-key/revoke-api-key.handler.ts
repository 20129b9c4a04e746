import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { customerStream } from '../customer.stream-type';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

export interface RevokedKeyView {
  id: string;
  customer_id: string;
  role: string;
  revoked_at: string;
}

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand, RevokedKeyView> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ customerId, keyId, metadata }: RevokeApiKeyCommand): Promise<RevokedKeyView> {
    const outcome = await this.commands.run(
      customerStream,
      customerId,
      { type: 'RevokeApiKey', customerId, keyId, at: this.clock.now().toISOString() },
      { ...metadata, customerId },
    );
    const state = outcome.state;
    const key = state.exists ? state.keys[keyId] : undefined;
    return {
      id: keyId,
      customer_id: customerId,
      role: key?.role ?? 'user',
      revoked_at: key?.revokedAt ?? '',
    };
  }
}
