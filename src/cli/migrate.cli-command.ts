import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Help, Option } from 'nest-commander';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { openEventStore } from '../event-store/event-store.module';
import { migrateStore } from '../operator/store-migration';
import { CliError, type OutputOptions, printRows, progressBar } from './cli-output';
import { JsonCommandRunner } from './json-command-runner';

interface MigrateOptions extends OutputOptions {
  to: string;
}

@Command({
  name: 'migrate',
  description:
    'Copy the configured store into EventStoreDB (resumable), then verify per-stream counts and hashes',
})
export class MigrateCliCommand extends JsonCommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly source: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_args: string[], options: MigrateOptions): Promise<void> {
    const target = await openEventStore({
      ...this.config,
      eventStore: 'esdb',
      eventStoreConnectionString: options.to,
    });
    const total = Number((await this.source.headPosition()) ?? 0n);
    const copy = progressBar('copy', total);
    try {
      const report = await migrateStore(this.source, target, (phase, done) => {
        if (phase === 'copy') copy.update(done);
      });
      copy.stop();
      const summary = {
        appended: report.appended,
        skipped: report.skipped,
        streams: report.streams,
        mismatched_streams: report.mismatches.length,
      };
      if (report.mismatches.length > 0) {
        printRows(report.mismatches, ['stream', 'source', 'target'], options, {
          ...summary,
          mismatches: report.mismatches,
        });
        throw new CliError(`migrate: ${report.mismatches.length} stream(s) differ after the copy`);
      }
      printRows([summary], ['appended', 'skipped', 'streams', 'mismatched_streams'], options, summary);
    } finally {
      copy.stop();
      await target.close();
    }
  }

  @Option({
    flags: '--to <connection-string>',
    description: 'EventStoreDB, e.g. esdb://host:2113?tls=false',
    required: true,
  })
  parseTo(value: string): string {
    if (!/^esdb(\+discover)?:\/\//.test(value))
      throw new CliError(`--to must be an esdb:// connection string (got "${value}")`);
    return value;
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ DATA_DIR=/srv/switchboard switchboard migrate --to "esdb://127.0.0.1:2113?tls=false"

Run it again after an interruption: what EventStoreDB already holds is skipped.`;
  }
}
