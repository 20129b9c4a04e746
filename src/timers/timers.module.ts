import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { CommandExecutor } from '../command-handling/command-executor';
import { CLOCK, type Clock } from '../domain/clock';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReadModelDatabase } from '../projections/read-model-database';
import { ReactorsDatabase } from '../reactors/reactors-database';
import { ExclusiveWorkRunner } from '../subscriptions/exclusive-work';
import { DueTimers } from './due-timers';
import { realScheduler, SCHEDULER, type Scheduler } from './scheduler';
import { TimerFirings } from './timer-firings';
import { TimerRegistry } from './timer-source';
import { TimerWorker } from './timer-worker';
import { timersProjection } from './timers.projection';

/**
 * Durable timers for every feature (global). Features register a `TimerSource` with the `TimerRegistry`
 * in their `onModuleInit`; this module registers the `timers` projection with the projection engine and
 * runs the `TimerWorker` from application bootstrap to the first shutdown hook.
 *
 * Needs (globally): `ProjectionEngine` + `ReadModelDatabase` (ProjectionsModule), `ReactorsDatabase`
 * (ReactorsModule), `CommandExecutor` and `CLOCK` (CommandHandlingModule). `SCHEDULER` is provided here
 * (Node's timers) and can be overridden in tests.
 */
@Global()
@Module({
  providers: [
    { provide: TimerRegistry, useFactory: () => new TimerRegistry() },
    { provide: SCHEDULER, useValue: realScheduler },
    {
      provide: DueTimers,
      inject: [ProjectionEngine, ReadModelDatabase],
      useFactory: (engine: ProjectionEngine, readModels: ReadModelDatabase) =>
        new DueTimers(engine, readModels),
    },
    {
      provide: TimerFirings,
      inject: [ReactorsDatabase],
      useFactory: (database: ReactorsDatabase) => new TimerFirings(database),
    },
    {
      provide: TimerWorker,
      inject: [CommandExecutor, TimerRegistry, DueTimers, TimerFirings, CLOCK, SCHEDULER],
      useFactory: (
        executor: CommandExecutor,
        registry: TimerRegistry,
        timers: DueTimers,
        firings: TimerFirings,
        clock: Clock,
        scheduler: Scheduler,
      ) => new TimerWorker({ executor, registry, timers, firings, clock, scheduler }, { autoStart: false }),
    },
  ],
  exports: [TimerRegistry, TimerWorker, DueTimers, SCHEDULER],
})
export class TimersModule implements OnModuleInit {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly registry: TimerRegistry,
    @Inject(TimerWorker) private readonly worker: TimerWorker,
    private readonly exclusive: ExclusiveWorkRunner,
  ) {}

  onModuleInit(): void {
    this.engine.register(timersProjection(this.registry, () => this.worker.notify()));
    // Timers fire once across instances: only the lease holder runs the worker (the timers projection
    // itself is a read model, kept by every instance, so a new holder knows what is due at once).
    this.exclusive.register({
      name: 'timers',
      start: () => this.worker.start(),
      stop: () => this.worker.stop(),
    });
  }
}
