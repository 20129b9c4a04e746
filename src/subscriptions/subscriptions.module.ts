import { join } from 'node:path';
import { type BeforeApplicationShutdown, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { REACTORS_FILE, ReactorCheckpoints, ReactorsDatabase } from '../reactors/reactors-database';
import { SHARED_CHECKPOINTS } from './checkpoint-store';
import { SharedAllFeed } from './shared-feed';

/** `<DATA_DIR>/reactors.db`, or an in-memory database when the data dir is `:memory:` (tests). */
export function operationalFilename(config: Pick<AppConfig, 'dataDir'>): string {
  return config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, REACTORS_FILE);
}

/**
 * The subscription runtime every consumer of `$all` stands on (global): the process's one shared feed,
 * the checkpoint store of work that runs once across instances, and the operational database
 * (`reactors.db`: checkpoints, leases, timer firings) that must survive a read-model rebuild.
 *
 * The feed stops in `beforeApplicationShutdown`: after every engine stopped in `onModuleDestroy`, before the
 * event store closes in its `onApplicationShutdown`.
 */
@Global()
@Module({
  providers: [
    {
      provide: ReactorsDatabase,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ReactorsDatabase(operationalFilename(config)),
    },
    {
      provide: SharedAllFeed,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new SharedAllFeed(store),
    },
    {
      provide: SHARED_CHECKPOINTS,
      inject: [ReactorsDatabase],
      useFactory: (database: ReactorsDatabase) => new ReactorCheckpoints(database),
    },
  ],
  exports: [ReactorsDatabase, SharedAllFeed, SHARED_CHECKPOINTS],
})
export class SubscriptionsModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly feed: SharedAllFeed,
    private readonly database: ReactorsDatabase,
  ) {}

  beforeApplicationShutdown(): Promise<void> {
    return this.feed.stop();
  }

  onApplicationShutdown(): void {
    this.database.close();
  }
}
