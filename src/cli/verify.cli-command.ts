import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Help, Option } from 'nest-commander';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { verifyReadModels } from '../operator/read-model-verify';
import { CliError, note, type OutputOptions, printRows, progressBar } from './cli-output';
import { JsonCommandRunner } from './json-command-runner';
import { readModelsFile } from './read-models-file';

@Command({
  name: 'verify',
  description:
    'Replay the whole log into scratch read models and diff them with the live ones (exit 1 on any difference)',
})
export class VerifyCliCommand extends JsonCommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_args: string[], options: OutputOptions): Promise<void> {
    const progress = progressBar('replaying', 0);
    const differences = await verifyReadModels(this.store, readModelsFile(this.config), (position, head) =>
      progress.update(Number(position), Number(head)),
    );
    progress.stop();
    if (differences.length === 0) {
      if (options.json) process.stdout.write('[]\n');
      else note('verify: every read model matches a replay of the log');
      return;
    }
    printRows(differences, ['projection', 'table', 'key', 'live', 'expected'], options);
    throw new CliError(`verify: ${differences.length} read-model row(s) differ from a replay of the log`);
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard verify
  $ DATA_DIR=/srv/switchboard-copy switchboard verify --json

It opens <DATA_DIR>/read-models.db with its own engine and brings it up to date first: run it with the
server stopped, or on a copy of its data folder.`;
  }
}
