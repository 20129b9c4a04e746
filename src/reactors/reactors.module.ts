import { join } from 'node:path';
import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../domain/clock';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { ReactorEngine } from './reactor-engine';
import { REACTORS_FILE, ReactorsDatabase } from './reactors-database';

/** `<DATA_DIR>/reactors.db`, or an in-memory database when the data dir is `:memory:` (tests). */
export function reactorsFilename(config: Pick<AppConfig, 'dataDir'>): string {
  return config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, REACTORS_FILE);
}

/**
 * The reactor engine and its operational database, for every feature (global). Needs `APP_CONFIG` and
 * `EVENT_STORE`; uses `CLOCK` when provided. Features register reactors in `onModuleInit`. The engine stops
 * in `onModuleDestroy`; the database closes last, in this module's `onApplicationShutdown`.
 */
@Global()
@Module({
  providers: [
    {
      provide: ReactorsDatabase,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ReactorsDatabase(reactorsFilename(config)),
    },
    {
      provide: ReactorEngine,
      inject: [EVENT_STORE, ReactorsDatabase, { token: CLOCK, optional: true }],
      useFactory: (store: EventStore, database: ReactorsDatabase, clock?: Clock) =>
        new ReactorEngine(store, database, { clock }),
    },
  ],
  exports: [ReactorEngine, ReactorsDatabase],
})
export class ReactorsModule implements OnApplicationShutdown {
  constructor(private readonly database: ReactorsDatabase) {}

  onApplicationShutdown(): void {
    // Nest calls the module class after its providers: the engine has stopped (in onModuleDestroy) by now.
    this.database.close();
  }
}
