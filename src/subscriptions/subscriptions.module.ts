import { join } from 'node:path';
import {
  type BeforeApplicationShutdown,
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock, systemClock } from '../domain/clock';
import { ID_GENERATOR, type IdGenerator, uuidV7Generator } from '../domain/id-generator';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { REACTORS_FILE, ReactorsDatabase } from '../reactors/reactors-database';
import { type CheckpointStore, SHARED_CHECKPOINTS } from './checkpoint-store';
import { lockDataDir } from './data-dir-lock';
import { StoreCheckpointStore } from './event-store/store-checkpoint-store';
import { StoreLeaseStore } from './event-store/store-lease-store';
import { ExclusiveWorkRunner } from './exclusive-work';
import { LEASE_STORE, type LeaseStore } from './lease';
import { SharedAllFeed } from './shared-feed';
import { SqliteCheckpointStore } from './sqlite/sqlite-checkpoint-store';
import { SqliteLeaseStore } from './sqlite/sqlite-lease-store';

/** `<DATA_DIR>/reactors.db`, or an in-memory database when the data dir is `:memory:` (tests). */
export function operationalFilename(config: Pick<AppConfig, 'dataDir'>): string {
  return config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, REACTORS_FILE);
}

interface DataDirLock {
  release(): void;
}
const DATA_DIR_LOCK = Symbol('DATA_DIR_LOCK');

const OPTIONAL_IDS = { token: ID_GENERATOR, optional: true };

/** Shared checkpoints are one event per save in EventStoreDB: saved at most once a second there. */
export function sharedCheckpointInterval(config: Pick<AppConfig, 'eventStore'>): number {
  return config.eventStore === 'esdb' ? 1_000 : 0;
}

/**
 * The subscription runtime every consumer of `$all` stands on (global):
 * - the process's one shared feed (`SharedAllFeed`);
 * - checkpoints and the lease of the work that runs once across instances, kept where every instance sees
 *   them: in the event store itself behind EventStoreDB, in `reactors.db` on the embedded store (one machine);
 * - `ExclusiveWorkRunner`, which starts reactors and timers only while this instance holds the lease.
 *
 * Lifecycle: the lease is sought on application bootstrap; engines stop in `onModuleDestroy`; the lease is
 * released and the feed stopped in `beforeApplicationShutdown`, before the event store closes.
 */
@Global()
@Module({
  providers: [
    {
      provide: DATA_DIR_LOCK,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): DataDirLock =>
        config.dataDir === ':memory:'
          ? { release: () => undefined }
          : { release: lockDataDir(config.dataDir) },
    },
    {
      provide: ReactorsDatabase,
      // After the lock: a second server on this folder stops before it opens anything.
      inject: [APP_CONFIG, DATA_DIR_LOCK],
      useFactory: (config: AppConfig) => new ReactorsDatabase(operationalFilename(config)),
    },
    {
      provide: SharedAllFeed,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new SharedAllFeed(store),
    },
    {
      provide: SHARED_CHECKPOINTS,
      inject: [APP_CONFIG, EVENT_STORE, ReactorsDatabase, OPTIONAL_IDS, { token: CLOCK, optional: true }],
      useFactory: (
        config: AppConfig,
        store: EventStore,
        database: ReactorsDatabase,
        ids: IdGenerator | undefined,
        clock?: Clock,
      ): CheckpointStore =>
        config.eventStore === 'esdb'
          ? new StoreCheckpointStore(store, ids ?? uuidV7Generator)
          : new SqliteCheckpointStore(database.connection, clock),
    },
    {
      provide: LEASE_STORE,
      inject: [APP_CONFIG, EVENT_STORE, ReactorsDatabase, OPTIONAL_IDS],
      useFactory: (config: AppConfig, store: EventStore, database: ReactorsDatabase, ids?: IdGenerator) =>
        config.eventStore === 'esdb'
          ? new StoreLeaseStore(store, ids ?? uuidV7Generator)
          : new SqliteLeaseStore(database.connection),
    },
    {
      provide: ExclusiveWorkRunner,
      inject: [LEASE_STORE, { token: CLOCK, optional: true }],
      useFactory: (leases: LeaseStore, clock?: Clock) =>
        new ExclusiveWorkRunner({ leases, clock: clock ?? systemClock }),
    },
  ],
  exports: [ReactorsDatabase, SharedAllFeed, SHARED_CHECKPOINTS, LEASE_STORE, ExclusiveWorkRunner],
})
export class SubscriptionsModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly feed: SharedAllFeed,
    private readonly exclusive: ExclusiveWorkRunner,
    private readonly database: ReactorsDatabase,
    @Inject(DATA_DIR_LOCK) private readonly lock: DataDirLock,
  ) {}

  onApplicationBootstrap(): void {
    this.exclusive.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.exclusive.stop();
    await this.feed.stop();
  }

  onApplicationShutdown(): void {
    this.database.close();
    this.lock.release();
  }
}
