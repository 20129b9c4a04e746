import { CommandBus } from '@nestjs/cqrs';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { v7 as uuidv7 } from 'uuid';
import type { CommandMetadata } from '../command-handling/command-metadata';
import {
  CreateCustomerCommand,
  type CustomerCreatedResult,
  type IssuedKeyView,
} from '../tenants/create-customer/create-customer.command';
import { API_KEY_ROLES, type ApiKeyRole } from '../tenants/customer';
import { IssueApiKeyCommand } from '../tenants/issue-api-key/issue-api-key.command';

/** Every CLI command starts its own correlation; the actor names the operator's tool. */
function cliMetadata(customerId: string): CommandMetadata {
  const id = uuidv7();
  return { correlationId: id, causationId: id, customerId, actor: 'cli:operator' };
}

@SubCommand({
  name: 'create',
  description: 'Create a customer (tenant) and print its first key (shown once)',
})
export class CustomersCreateCliCommand extends CommandRunner {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  async run(_args: string[], options: { name: string; role?: 'admin' | 'user' }): Promise<void> {
    const result = await this.commands.execute<CreateCustomerCommand, CustomerCreatedResult>(
      new CreateCustomerCommand(
        { name: options.name, firstKeyRole: options.role ?? 'user' },
        cliMetadata('operator'),
      ),
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }

  @Option({ flags: '-n, --name <name>', description: 'display name of the customer', required: true })
  parseName(value: string): string {
    if (!value.trim()) throw new Error('--name must not be empty');
    return value;
  }

  @Option({ flags: '-r, --role <role>', description: 'role of the first key: user (default) or admin' })
  parseRole(value: string): string {
    if (value !== 'user' && value !== 'admin') throw new Error('--role must be user or admin');
    return value;
  }
}

@SubCommand({
  name: 'issue-key',
  arguments: '<customer-id>',
  description: 'Issue a key for a customer (shown once)',
})
export class CustomersIssueKeyCliCommand extends CommandRunner {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  async run([customerId]: string[], options: { role: ApiKeyRole }): Promise<void> {
    const key = await this.commands.execute<IssueApiKeyCommand, IssuedKeyView>(
      new IssueApiKeyCommand(customerId, options.role, cliMetadata(customerId)),
    );
    process.stdout.write(`${JSON.stringify(key, null, 2)}\n`);
  }

  @Option({ flags: '-r, --role <role>', description: `one of ${API_KEY_ROLES.join(', ')}`, required: true })
  parseRole(value: string): string {
    if (!(API_KEY_ROLES as readonly string[]).includes(value))
      throw new Error(`--role must be one of ${API_KEY_ROLES.join(', ')}`);
    return value;
  }
}

@Command({
  name: 'customers',
  description: 'Manage customers (tenants) and their API keys',
  subCommands: [CustomersCreateCliCommand, CustomersIssueKeyCliCommand],
})
export class CustomersCliCommand extends CommandRunner {
  static readonly subCommands = [CustomersCreateCliCommand, CustomersIssueKeyCliCommand];

  async run(): Promise<void> {
    this.command.help();
  }
}
