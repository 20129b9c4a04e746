import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Help, Option, SubCommand } from 'nest-commander';
import { AuditTrail, EVERY_TENANT, type Folder } from '../audit/audit-trail';
import type { StreamPoint } from '../audit/stream-point';
import { evolve, initialState, isCall } from '../calls/call';
import { callStreamId } from '../calls/call-stream';
import { callView } from '../calls/call-view';
import { evolveConference, initialConferenceState } from '../conferences/conference';
import { conferenceStreamId } from '../conferences/conference-stream';
import { conferenceViewOf } from '../conferences/conference-view';
import type { DomainEvent } from '../domain/decider';
import { notFound } from '../domain/domain-error';
import { CliError, type OutputOptions, printRows } from './cli-output';
import { parseInstant, parseRevision } from './cli-parsers';
import { JsonCommandRunner } from './json-command-runner';

interface ShowOptions extends OutputOptions {
  atRevision?: bigint;
  at?: Date;
}

/**
 * `calls show` and `conferences show`: one aggregate folded from its stream (the same query as HTTP's
 * time travel, over every tenant), now or as it was at a revision or a time.
 */
abstract class ShowCliCommand<Event extends DomainEvent, State> extends JsonCommandRunner {
  protected abstract readonly kind: 'call' | 'conference';
  protected abstract readonly folder: Folder<Event, State>;
  protected abstract streamId(id: string): string;
  protected abstract view(state: State, revision: bigint): Record<string, unknown> | null;

  // Explicit token: subclasses inherit this constructor, and its emitted parameter types do not carry over.
  constructor(@Inject(AuditTrail) private readonly audit: AuditTrail) {
    super();
  }

  async run([id]: string[], options: ShowOptions): Promise<void> {
    const missing = () => notFound(`${this.kind}.not_found`, `${this.kind} ${id} not found at that point`);
    if (options.atRevision !== undefined && options.at !== undefined)
      throw new CliError('give --at-revision or --at, not both');
    const point: StreamPoint | null = options.at
      ? { time: options.at }
      : options.atRevision !== undefined
        ? { revision: options.atRevision }
        : null;
    const past = await this.audit.stateAt(this.folder, EVERY_TENANT, this.streamId(id), point, missing);
    const view = this.view(past.state, past.revision);
    if (!view) throw missing();
    const rows = Object.entries(view).map(([field, value]) => ({ field, value }));
    printRows(rows, ['field', 'value'], options, view);
  }

  @Option({ flags: '--at-revision <n>', description: 'the state after this revision' })
  parseAtRevision(value: string): bigint {
    return parseRevision(value, '--at-revision');
  }

  @Option({ flags: '--at <time>', description: 'the state as it was at this ISO time' })
  parseAt(value: string): Date {
    return parseInstant(value, '--at');
  }
}

@SubCommand({ name: 'show', arguments: '<call-id>', description: 'A call, now or as it was (time travel)' })
export class CallsShowCliCommand extends ShowCliCommand<
  Parameters<typeof evolve>[1],
  ReturnType<typeof evolve>
> {
  protected readonly kind = 'call';
  protected readonly folder = { evolve, initialState };
  protected streamId = callStreamId;
  protected view(state: ReturnType<typeof evolve>, revision: bigint) {
    return isCall(state) ? { ...callView(state, revision) } : null;
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard calls show 0190a5e2-7c1a-7000-8000-000000000001
  $ switchboard calls show 0190a5e2-7c1a-7000-8000-000000000001 --at-revision 1 --json
  $ switchboard calls show 0190a5e2-7c1a-7000-8000-000000000001 --at 2026-03-01T09:00:00Z`;
  }
}

@SubCommand({
  name: 'show',
  arguments: '<conference-id>',
  description: 'A conference, now or as it was (time travel)',
})
export class ConferencesShowCliCommand extends ShowCliCommand<
  Parameters<typeof evolveConference>[1],
  ReturnType<typeof evolveConference>
> {
  protected readonly kind = 'conference';
  protected readonly folder = { evolve: evolveConference, initialState: initialConferenceState };
  protected streamId = conferenceStreamId;
  protected view(state: ReturnType<typeof evolveConference>, revision: bigint) {
    return state ? { ...conferenceViewOf(state, revision) } : null;
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard conferences show 0190a5e2-7c1a-7000-8000-000000000002 --at-revision 0
  $ switchboard conferences show 0190a5e2-7c1a-7000-8000-000000000002 --at 2026-03-01T09:00:00Z --json`;
  }
}

@Command({
  name: 'calls',
  description: 'Calls, folded from their streams',
  subCommands: [CallsShowCliCommand],
})
export class CallsCliCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}

@Command({
  name: 'conferences',
  description: 'Conferences, folded from their streams',
  subCommands: [ConferencesShowCliCommand],
})
export class ConferencesCliCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
