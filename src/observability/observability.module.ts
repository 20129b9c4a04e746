import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { COMMAND_OBSERVER, type CommandObserver } from '../command-handling/command-observer';
import { APP_CONFIG } from '../config/app-config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import type { CommitObserver } from '../event-store/sqlite/group-commit';
import { CommandLog } from './command-log';
import { createRootLogger, logOptions, ROOT_LOGGER } from './log-options';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { RequestObserver } from './request-log';
import { TimerBacklog } from './timer-backlog';

/** Stores that can report their commits (the embedded one); others are simply not observed. */
interface ObservableCommits {
  observeCommits(observer: CommitObserver): void;
}

/** JSON logs (pino), Prometheus metrics, the per-request and per-command lines (the executor's observer). */
@Global()
@Module({
  imports: [LoggerModule.forRootAsync({ inject: [ROOT_LOGGER], useFactory: logOptions })],
  controllers: [MetricsController],
  providers: [
    { provide: ROOT_LOGGER, inject: [APP_CONFIG], useFactory: createRootLogger },
    TimerBacklog,
    MetricsService,
    RequestObserver,
    CommandLog,
    {
      provide: COMMAND_OBSERVER,
      inject: [MetricsService, CommandLog],
      useFactory: (...observers: CommandObserver[]): CommandObserver => ({
        executed: (...args) => {
          for (const observer of observers) observer.executed(...args);
        },
      }),
    },
  ],
  exports: [ROOT_LOGGER, MetricsService, RequestObserver, COMMAND_OBSERVER],
})
export class ObservabilityModule implements OnModuleInit {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const store = this.store as EventStore & Partial<ObservableCommits>;
    store.observeCommits?.(this.metrics.observeCommit);
  }
}
