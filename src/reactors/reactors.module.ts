import { Global, Module } from '@nestjs/common';
import { CLOCK, type Clock } from '../domain/clock';
import { type CheckpointStore, SHARED_CHECKPOINTS } from '../subscriptions/checkpoint-store';
import { SharedAllFeed } from '../subscriptions/shared-feed';
import { ReactorEngine } from './reactor-engine';

/**
 * The reactor engine for every feature (global), on the process's shared feed, with checkpoints in the
 * shared checkpoint store. Features register reactors in `onModuleInit`. The engine stops in
 * `onModuleDestroy`, so reactions in flight finish before the store closes.
 */
@Global()
@Module({
  providers: [
    {
      provide: ReactorEngine,
      inject: [SharedAllFeed, SHARED_CHECKPOINTS, { token: CLOCK, optional: true }],
      useFactory: (feed: SharedAllFeed, checkpoints: CheckpointStore, clock?: Clock) =>
        new ReactorEngine(feed, checkpoints, { clock }),
    },
  ],
  exports: [ReactorEngine],
})
export class ReactorsModule {}
