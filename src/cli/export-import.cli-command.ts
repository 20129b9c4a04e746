import { createWriteStream } from 'node:fs';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Help, Option } from 'nest-commander';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { type ExportFilter, exportEvents } from '../operator/event-export';
import { importEvents } from '../operator/event-import';
import { readExportFile, verifyExportFile } from '../operator/export-file';
import { note, type OutputOptions, printRows, progressBar } from './cli-output';
import { parseInstant } from './cli-parsers';
import { JsonCommandRunner } from './json-command-runner';

interface ExportOptions extends ExportFilter {
  output?: string;
}

@Command({
  name: 'export',
  description:
    'Write events as NDJSON (stream, revision, id, type, data, metadata, created), then a trailer line with count and SHA-256',
})
export class ExportCliCommand extends CommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    super();
  }

  async run(_args: string[], options: ExportOptions): Promise<void> {
    const out = options.output ? createWriteStream(options.output) : process.stdout;
    const head = Number((await this.store.headPosition()) ?? 0n);
    const progress = progressBar('export', head);
    const write = (chunk: string) =>
      new Promise<void>((resolve, reject) => {
        if (out.write(chunk)) resolve();
        else out.once('drain', resolve).once('error', reject);
      });
    const summary = await exportEvents(this.store, options, write, {
      onProgress: (position) => progress.update(Number(position)),
    });
    progress.stop();
    if (out !== process.stdout) await new Promise<void>((resolve) => out.end(() => resolve()));
    note(`exported ${summary.count} events, sha256 ${summary.sha256}`);
  }

  @Option({ flags: '--tenant <customer-id>', description: "only this customer's events" })
  parseTenant(value: string): string {
    return value;
  }

  @Option({ flags: '--stream-prefix <prefix>', description: 'only streams starting with it, e.g. call-' })
  parseStreamPrefix(value: string): string {
    return value;
  }

  @Option({ flags: '--since <time>', description: 'events committed at or after this ISO time' })
  parseSince(value: string): Date {
    return parseInstant(value, '--since');
  }

  @Option({ flags: '--until <time>', description: 'events committed before this ISO time' })
  parseUntil(value: string): Date {
    return parseInstant(value, '--until');
  }

  @Option({ flags: '-o, --output <file>', description: 'write to this file instead of stdout' })
  parseOutput(value: string): string {
    return value;
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard export > events.ndjson
  $ switchboard export --tenant 0190a5e2-7c1a-7000-8000-000000000001 --stream-prefix call- --since 2026-03-01T00:00:00Z > calls.ndjson`;
  }
}

@Command({
  name: 'import',
  arguments: '<file>',
  description:
    'Append an export with its original ids and revisions: a re-import writes nothing, an interrupted one resumes',
})
export class ImportCliCommand extends JsonCommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    super();
  }

  async run([file]: string[], options: OutputOptions): Promise<void> {
    // The whole file is checked first: a truncated or edited one writes nothing.
    const total = await verifyExportFile(file);
    const progress = progressBar('import', total);
    const summary = await importEvents(this.store, readExportFile(file), (done) => progress.update(done));
    progress.stop();
    printRows(
      [{ file, events: total, ...summary }],
      ['file', 'events', 'appended', 'skipped'],
      options,
      summary,
    );
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard import events.ndjson
  $ DATA_DIR=/srv/new switchboard import events.ndjson --json`;
  }
}
