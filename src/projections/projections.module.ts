import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../domain/clock';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { SharedAllFeed } from '../subscriptions/shared-feed';
import { ProjectionEngine } from './projection-engine';
import { READ_MODEL_FILENAME, ReadModelDatabase } from './read-model-database';

/**
 * The read-model database and the projection engine, for every feature. Needs `EVENT_STORE` and
 * `READ_MODEL_FILENAME` from a global module (the app module provides the file name from config), or
 * use `ProjectionsModule.forRoot(filename)`. `CLOCK` is used when provided.
 *
 * Features register projections in `onModuleInit`; the engine starts on application bootstrap and stops
 * at the first shutdown hook; the database closes last, in this module's `onApplicationShutdown`.
 */
@Global()
@Module({
  providers: [
    {
      provide: ReadModelDatabase,
      inject: [READ_MODEL_FILENAME],
      useFactory: (filename: string) => new ReadModelDatabase(filename),
    },
    {
      provide: ProjectionEngine,
      inject: [EVENT_STORE, ReadModelDatabase, SharedAllFeed, { token: CLOCK, optional: true }],
      useFactory: (store: EventStore, readModels: ReadModelDatabase, feed: SharedAllFeed, clock?: Clock) =>
        new ProjectionEngine(store, readModels, { clock, source: feed }),
    },
  ],
  exports: [ProjectionEngine, ReadModelDatabase],
})
export class ProjectionsModule implements OnApplicationShutdown {
  constructor(private readonly readModels: ReadModelDatabase) {}

  static forRoot(filename: string): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [{ provide: READ_MODEL_FILENAME, useValue: filename }],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    // Nest calls the module class after its providers: the engine has stopped (in onModuleDestroy) by now.
    await this.readModels.close();
  }
}
