import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Help, Option } from 'nest-commander';
import { eventView } from '../audit/event-view';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { type CausationNode, flattenTree, traceCorrelation, traceEvent } from '../operator/causation-trace';
import { CliError, type OutputOptions, printRows, progressBar } from './cli-output';
import { JsonCommandRunner } from './json-command-runner';

interface TraceOptions extends OutputOptions {
  event?: string;
}

@Command({
  name: 'trace',
  arguments: '[correlation-id]',
  description: 'Every event of one request chain across streams, as a causation tree',
})
export class TraceCliCommand extends JsonCommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    super();
  }

  async run([correlationId]: string[], options: TraceOptions): Promise<void> {
    if (!correlationId === !options.event)
      throw new CliError('give a correlation id or --event <event-id> (one of them)');
    const head = Number((await this.store.headPosition()) ?? 0n);
    const progress = progressBar('scanning', head);
    const onProgress = (position: bigint) => progress.update(Number(position));
    let forest: CausationNode[];
    try {
      if (options.event) {
        const root = await traceEvent(this.store, options.event, onProgress);
        if (!root) throw new CliError(`no event ${options.event}`);
        forest = [root];
      } else {
        forest = await traceCorrelation(this.store, correlationId, onProgress);
        if (forest.length === 0) throw new CliError(`no event with correlation id ${correlationId}`);
      }
    } finally {
      progress.stop();
    }
    const rows = flattenTree(forest).map(({ depth, event, via }) => ({
      event: `${'  '.repeat(depth)}${via ? '~ ' : ''}${event.type}`,
      stream: event.streamId,
      revision: event.revision.toString(),
      time: eventView(event).time,
      actor: event.metadata.actor,
      event_id: event.id,
    }));
    printRows(
      rows,
      ['event', 'stream', 'revision', 'time', 'actor', 'event_id'],
      options,
      forest.map(treeJson),
    );
  }

  @Option({ flags: '--event <event-id>', description: 'the tree of what this one event caused' })
  parseEvent(value: string): string {
    return value;
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard trace 0190a5e2-7c1a-7000-8000-00000000c0de      # the X-Correlation-Id of a request
  $ switchboard trace --event 0190a5e2-7c1a-7000-8000-000000000042 --json`;
  }
}

type TreeJson = ReturnType<typeof eventView> & { via?: 'media'; caused: TreeJson[] };

/** `via: "media"` (`~` in the table) marks an answer of the media gateway to a request above it. */
function treeJson(node: CausationNode): TreeJson {
  return { ...eventView(node.event), ...(node.via && { via: node.via }), caused: node.caused.map(treeJson) };
}
