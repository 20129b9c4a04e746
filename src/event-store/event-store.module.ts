import { join } from 'node:path';
import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EVENT_STORE, EventStore } from './event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export const EVENT_STORE_FILE = 'events.db';

/** The one place that picks the adapter; everything else depends on the `EVENT_STORE` port only. */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  if (config.eventStore === 'esdb') {
    // Loaded only when chosen: the embedded default never pays for the gRPC client.
    const { EsdbEventStore } = await import('./esdb/esdb-event-store');
    return EsdbEventStore.fromConnectionString(config.eventStoreConnectionString!);
  }
  const filename = config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, EVENT_STORE_FILE);
  return new SqliteEventStore({ filename });
}

@Global()
@Module({
  providers: [{ provide: EVENT_STORE, inject: [APP_CONFIG], useFactory: openEventStore }],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  private readonly logger = new Logger(EventStoreModule.name);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Runs after every other module's shutdown hook, so projections have saved their checkpoints. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log('event store closed');
  }
}
