import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { ApiKeyRole } from '../customer';

export class IssueApiKeyCommand {
  constructor(
    readonly customerId: string,
    readonly role: ApiKeyRole,
    readonly metadata: CommandMetadata,
  ) {}
}
