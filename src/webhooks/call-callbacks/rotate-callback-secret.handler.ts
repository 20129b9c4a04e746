import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { type CallbackSecret, callbackSecretDecider, callbackSecretStreamId } from './callback-secret';
import { CALLBACK_SECRETS_PROJECTION } from './callback-secrets.projection';

/** Rotate (or, the first time, create) the tenant's callback secret; REST and any other transport. */
export class RotateCallbackSecretCommand {
  constructor(
    readonly secret: string,
    readonly at: string,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(RotateCallbackSecretCommand)
export class RotateCallbackSecretHandler
  implements ICommandHandler<RotateCallbackSecretCommand, CallbackSecret>
{
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute({ secret, at, metadata }: RotateCallbackSecretCommand): Promise<CallbackSecret> {
    const outcome = await this.executor.execute({
      decider: callbackSecretDecider,
      streamId: callbackSecretStreamId(metadata.customerId),
      command: { type: 'RotateCallbackSecret', data: { customerId: metadata.customerId, secret, at } },
      metadata,
    });
    // The next make-call of this client is signed with it: the dispatcher reads the read model.
    await this.readYourWrites.waitFor(outcome.position, [CALLBACK_SECRETS_PROJECTION]);
    return outcome.state as CallbackSecret;
  }
}
