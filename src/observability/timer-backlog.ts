import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../domain/clock';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReadModelDatabase } from '../projections/read-model-database';
import { TIMERS_PROJECTION, type TimerTables } from '../timers/timers.projection';

/** A timer this late has missed its firing: the worker is behind, stopped, or failing. */
const OVERDUE_AFTER_MS = 5_000;

/** Counts of due and overdue timers, read from the timers read model (indexed by due time: cheap). */
@Injectable()
export class TimerBacklog {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  due(): { due: number; overdue: number } {
    let tables: TimerTables;
    try {
      tables = this.engine.tables<'streams' | 'due'>(TIMERS_PROJECTION) as TimerTables;
    } catch {
      return { due: 0, overdue: 0 }; // no timers projection registered (a slimmed-down app)
    }
    const now = this.clock.now().getTime();
    const row = this.readModels.connection
      .prepare<[number, number], { due: number; overdue: number }>(
        `SELECT COUNT(*) AS due, COALESCE(SUM(due_ms <= ?), 0) AS overdue FROM ${tables.due} WHERE due_ms <= ?`,
      )
      .get(now - OVERDUE_AFTER_MS, now);
    return row ?? { due: 0, overdue: 0 };
  }
}
