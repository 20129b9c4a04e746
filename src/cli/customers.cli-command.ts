import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Command, CommandRunner, Help, Option, SubCommand } from 'nest-commander';
import { v7 as uuidv7 } from 'uuid';
import { toDomainEvent } from '../command-handling/command-executor';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { fold } from '../domain/decider';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../event-store/event-store';
import {
  CreateCustomerCommand,
  type CustomerCreatedResult,
  type IssuedKeyView,
} from '../tenants/create-customer/create-customer.command';
import {
  API_KEY_ROLES,
  type ApiKeyRole,
  type CustomerEvent,
  customerStreamId,
  evolveCustomer,
  initialCustomerState,
} from '../tenants/customer';
import { IssueApiKeyCommand } from '../tenants/issue-api-key/issue-api-key.command';
import { RevokeApiKeyCommand } from '../tenants/revoke-api-key/revoke-api-key.command';
import { type OutputOptions, printRows } from './cli-output';
import { JsonCommandRunner } from './json-command-runner';

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

  @Help('after')
  example(): string {
    return '\nExample:\n  $ switchboard customers create --name "Acme Inc" --role admin';
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

  @Help('after')
  example(): string {
    return '\nExample:\n  $ switchboard customers issue-key 0190a5e2-7c1a-7000-8000-000000000001 --role media';
  }
}

@SubCommand({
  name: 'revoke-key',
  arguments: '<customer-id> <key-id>',
  description: 'Revoke a key: it stops working at once (revoking twice is harmless)',
})
export class CustomersRevokeKeyCliCommand extends CommandRunner {
  constructor(private readonly commands: CommandBus) {
    super();
  }

  async run([customerId, keyId]: string[]): Promise<void> {
    const revoked = await this.commands.execute(
      new RevokeApiKeyCommand(customerId, keyId, cliMetadata(customerId)),
    );
    process.stdout.write(`${JSON.stringify(revoked, null, 2)}\n`);
  }

  @Help('after')
  example(): string {
    return '\nExample:\n  $ switchboard customers revoke-key <customer-id> <key-id>';
  }
}

/**
 * Every customer, folded from its own stream (the CLI runs no read models; the log is the record). Key
 * hashes are never shown.
 */
@SubCommand({ name: 'list', description: 'Every customer with its keys (ids, roles, revoked or not)' })
export class CustomersListCliCommand extends JsonCommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    super();
  }

  async run(_args: string[], options: OutputOptions): Promise<void> {
    const streams = new Map<string, RecordedEvent[]>();
    const prefix = customerStreamId('');
    for await (const event of this.store.readAll()) {
      if (!event.streamId.startsWith(prefix)) continue;
      const events = streams.get(event.streamId) ?? [];
      events.push(event);
      streams.set(event.streamId, events);
    }
    const customers = [...streams.values()].flatMap((events) => {
      const state = fold(
        { evolve: evolveCustomer, initialState: initialCustomerState },
        events.map(toDomainEvent) as CustomerEvent[],
      );
      if (!state.exists) return [];
      const keys = Object.values(state.keys).map((key) => ({
        id: key.id,
        role: key.role,
        issued_at: key.issuedAt,
        revoked_at: key.revokedAt,
      }));
      return [{ id: state.id, name: state.name, created_at: state.createdAt, keys }];
    });
    const rows = customers.map((customer) => ({
      ...customer,
      keys: customer.keys
        .map((key) => `${key.id.slice(-8)}:${key.role}${key.revoked_at ? ':revoked' : ''}`)
        .join(' '),
    }));
    printRows(rows, ['id', 'name', 'created_at', 'keys'], options, customers);
  }

  @Help('after')
  example(): string {
    return '\nExamples:\n  $ switchboard customers list\n  $ switchboard customers list --json';
  }
}

@Command({
  name: 'customers',
  description: 'Manage customers (tenants) and their API keys',
  subCommands: [
    CustomersListCliCommand,
    CustomersCreateCliCommand,
    CustomersIssueKeyCliCommand,
    CustomersRevokeKeyCliCommand,
  ],
})
export class CustomersCliCommand extends CommandRunner {
  static readonly subCommands = [
    CustomersListCliCommand,
    CustomersCreateCliCommand,
    CustomersIssueKeyCliCommand,
    CustomersRevokeKeyCliCommand,
  ];

  async run(): Promise<void> {
    this.command.help();
  }
}
