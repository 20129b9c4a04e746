import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Help, Option, SubCommand } from 'nest-commander';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { LocalReadModels } from '../operator/local-read-models';
import { ProjectionOperations } from '../operator/projection-operations';
import type { ProjectionStatusView } from '../operator/projection-status-view';
import { AdminClient, type ServerOptions, serverOf } from './admin-client';
import { CliError, type OutputOptions, printRows, progressBar } from './cli-output';
import { JsonCommandRunner } from './json-command-runner';
import { readModelsFile } from './read-models-file';

type ProjectionsOptions = OutputOptions & ServerOptions;

const COLUMNS = ['name', 'version', 'position', 'head', 'lag', 'lag_ms', 'state', 'failure'] as const;

const SERVER_HELP = `
Against a running server (required while one runs on the same data folder: two processes must not
build the same read models), pass its URL and an admin key, or set SWITCHBOARD_SERVER/SWITCHBOARD_KEY.
Without them the CLI opens <DATA_DIR>/read-models.db itself and brings every projection up to date.`;

function print(views: ProjectionStatusView[], options: OutputOptions): void {
  const rows = views.map((view) => ({
    ...view,
    failure:
      view.failure && `${view.failure.message} (event ${view.failure.event_id} at ${view.failure.position})`,
  }));
  printRows(rows, COLUMNS, options, views);
}

/** Local work on the data folder: the engine of this process, closed afterwards. */
async function withLocalReadModels<T>(
  store: EventStore,
  config: AppConfig,
  work: (local: LocalReadModels, operations: ProjectionOperations) => Promise<T>,
): Promise<T> {
  const local = new LocalReadModels(store, readModelsFile(config));
  try {
    const progress = progressBar('catching up', 0);
    await local.catchUp((position, head) => progress.update(Number(position), Number(head)));
    progress.stop();
    return await work(local, new ProjectionOperations(local.engine, store));
  } finally {
    await local.close();
  }
}

abstract class ProjectionsSubCommand extends JsonCommandRunner {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
  ) {
    super();
  }

  @Option({ flags: '--server <url>', description: 'a running server (or SWITCHBOARD_SERVER)' })
  parseServer(value: string): string {
    if (!/^https?:\/\//.test(value)) throw new CliError(`--server must be an http(s) URL (got "${value}")`);
    return value;
  }

  @Option({ flags: '--key <key>', description: "the server's admin key (or SWITCHBOARD_KEY)" })
  parseKey(value: string): string {
    return value;
  }
}

@SubCommand({ name: 'list', description: 'Every projection: version, position, head, lag, state, failure' })
export class ProjectionsListCliCommand extends ProjectionsSubCommand {
  async run(_args: string[], options: ProjectionsOptions): Promise<void> {
    const server = serverOf(options);
    const views = server
      ? await new AdminClient(server).projections()
      : await withLocalReadModels(this.store, this.config, (_local, operations) => operations.list());
    print(views, options);
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard projections list
  $ switchboard projections list --server http://127.0.0.1:3000 --key sb_admin_... --json
${SERVER_HELP}`;
  }
}

@SubCommand({
  name: 'rebuild',
  arguments: '<name>',
  description: 'Rebuild a projection blue/green: the old tables serve until the new ones take over',
})
export class ProjectionsRebuildCliCommand extends ProjectionsSubCommand {
  async run([name]: string[], options: ProjectionsOptions): Promise<void> {
    const server = serverOf(options);
    if (server) {
      const client = new AdminClient(server);
      await client.rebuild(name);
      const progress = progressBar(`rebuilding ${name}`, 0);
      for (;;) {
        const view = (await client.projections()).find((p) => p.name === name);
        if (!view) throw new CliError(`projection ${name} disappeared from ${server.url}`);
        if (view.failure) throw new CliError(`rebuild of ${name} failed: ${view.failure.message}`);
        progress.update(Number(view.rebuild?.position ?? view.position ?? 0), Number(view.head ?? 0));
        if (!view.rebuild && view.state !== 'rebuilding') {
          progress.stop();
          return print([view], options);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const view = await withLocalReadModels(this.store, this.config, async (local, operations) => {
      const { done } = await operations.startRebuild(name);
      const progress = progressBar(`rebuilding ${name}`, 0);
      const timer = setInterval(async () => {
        const status = (await local.engine.status()).find((s) => s.name === name);
        const head = await this.store.headPosition();
        progress.update(Number(status?.rebuild?.checkpoint ?? 0n), Number(head ?? 0n));
      }, 200);
      try {
        await done;
      } finally {
        clearInterval(timer);
        progress.stop();
      }
      return operations.one(name);
    });
    print([view], options);
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard projections rebuild call-history
  $ SWITCHBOARD_SERVER=http://127.0.0.1:3000 SWITCHBOARD_KEY=sb_admin_... switchboard projections rebuild conferences
${SERVER_HELP}
A rebuild replays the log into fresh tables and dispatches nothing: no reaction, timer or webhook fires.`;
  }
}

@SubCommand({
  name: 'retry',
  arguments: '<name>',
  description: 'Restart a failed projection from its checkpoint',
})
export class ProjectionsRetryCliCommand extends ProjectionsSubCommand {
  async run([name]: string[], options: ProjectionsOptions): Promise<void> {
    const server = serverOf(options);
    const view = server
      ? await new AdminClient(server).retry(name)
      : await withLocalReadModels(this.store, this.config, (_local, operations) => operations.retry(name));
    print([view], options);
  }

  @Help('after')
  example(): string {
    return `
Examples:
  $ switchboard projections retry conferencecalls --server http://127.0.0.1:3000 --key sb_admin_...
${SERVER_HELP}`;
  }
}

@Command({
  name: 'projections',
  description: 'Read models: list, rebuild, retry (locally or through a server with --server)',
  subCommands: [ProjectionsListCliCommand, ProjectionsRebuildCliCommand, ProjectionsRetryCliCommand],
})
export class ProjectionsCliCommand extends CommandRunner {
  static readonly subCommands = [
    ProjectionsListCliCommand,
    ProjectionsRebuildCliCommand,
    ProjectionsRetryCliCommand,
  ];

  async run(): Promise<void> {
    this.command.help();
  }
}
