import { Command, CommandRunner, Help, Option } from 'nest-commander';
import { AuditTrail } from '../audit/audit-trail';
import { type EventView, eventView } from '../audit/event-view';
import { eventsFrom, isUpTo, type StreamPoint } from '../audit/stream-point';
import { locateStream } from '../operator/stream-locator';
import { CliError, type OutputOptions, printRows } from './cli-output';
import { parseStreamPoint } from './cli-parsers';
import { JsonCommandRunner } from './json-command-runner';

export const EVENT_COLUMNS = [
  'revision',
  'position',
  'time',
  'type',
  'actor',
  'correlation_id',
  'causation_id',
] as const satisfies readonly (keyof EventView)[];

interface EventsOptions extends OutputOptions {
  from?: StreamPoint;
  to?: StreamPoint;
}

@Command({
  name: 'events',
  arguments: '<stream-or-id>',
  description: "A stream's events: revision, position, time, type, actor, correlation and causation",
})
export class EventsCliCommand extends JsonCommandRunner {
  constructor(private readonly audit: AuditTrail) {
    super();
  }

  async run([streamOrId]: string[], options: EventsOptions): Promise<void> {
    const found = await locateStream(this.audit, streamOrId);
    if (!found) throw new CliError(`no stream, call, conference, conferencecall or customer ${streamOrId}`);
    let events = found.events;
    if (options.from) events = eventsFrom(events, options.from);
    const { to } = options;
    if (to) events = events.filter((event) => isUpTo(event, to));
    const views = events.map(eventView);
    printRows(views, EVENT_COLUMNS, options, { stream: found.streamId, result: views });
  }

  @Option({ flags: '--from <revision-or-time>', description: 'first revision (or ISO time) to show' })
  parseFrom(value: string): StreamPoint {
    return parseStreamPoint(value, '--from');
  }

  @Option({ flags: '--to <revision-or-time>', description: 'last revision (or ISO time) to show' })
  parseTo(value: string): StreamPoint {
    return parseStreamPoint(value, '--to');
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard events 0190a5e2-7c1a-7000-8000-000000000001
  $ switchboard events conference-0190a5e2-7c1a-7000-8000-000000000002 --from 2 --to 2026-03-01T09:00:00Z --json`;
  }
}
