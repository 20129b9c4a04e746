import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { customerStreamId } from '../customer';
import { customerDecider } from '../customer.decider';
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
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ customerId, keyId, metadata }: RevokeApiKeyCommand): Promise<RevokedKeyView> {
    const outcome = await this.executor.execute({
      decider: customerDecider,
      streamId: customerStreamId(customerId),
      command: { type: 'RevokeApiKey', customerId, keyId, at: this.clock.now().toISOString() },
      metadata: { ...metadata, customerId },
    });
    // A revoked key must stop working at once on this instance.
    await this.readYourWrites.waitFor(outcome.position);
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
