import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../domain/clock';
import { type CheckpointStore, SHARED_CHECKPOINTS } from '../subscriptions/checkpoint-store';
import { ExclusiveWorkRunner } from '../subscriptions/exclusive-work';
import { SharedAllFeed } from '../subscriptions/shared-feed';
import { sharedCheckpointInterval } from '../subscriptions/subscriptions.module';
import { ReactorEngine } from './reactor-engine';

/**
 * The reactor engine for every feature (global), on the process's shared feed, with checkpoints in the
 * shared checkpoint store. Features register reactors in `onModuleInit`. It runs only while this instance
 * holds the exclusive-work lease, so N instances dial each call once; it stops in `onModuleDestroy`, so
 * reactions in flight finish before the store closes.
 */
@Global()
@Module({
  providers: [
    {
      provide: ReactorEngine,
      inject: [SharedAllFeed, SHARED_CHECKPOINTS, APP_CONFIG, { token: CLOCK, optional: true }],
      useFactory: (feed: SharedAllFeed, checkpoints: CheckpointStore, config: AppConfig, clock?: Clock) =>
        new ReactorEngine(feed, checkpoints, {
          clock,
          autoStart: false,
          saveEveryMs: sharedCheckpointInterval(config),
        }),
    },
  ],
  exports: [ReactorEngine],
})
export class ReactorsModule implements OnModuleInit {
  constructor(
    private readonly engine: ReactorEngine,
    private readonly exclusive: ExclusiveWorkRunner,
  ) {}

  onModuleInit(): void {
    this.exclusive.register({
      name: 'reactors',
      start: (fence) => this.engine.start(fence),
      stop: () => this.engine.stop(),
    });
  }
}
