import type { CommandMetadata } from '../../command-handling/command-metadata';

export class RevokeApiKeyCommand {
  constructor(
    readonly customerId: string,
    readonly keyId: string,
    readonly metadata: CommandMetadata,
  ) {}
}
