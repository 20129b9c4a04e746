import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/event-store';

/**
 * Logical table name → physical table name of one build of a projection version, e.g. `calls` →
 * `call_history_v2_calls` (or `call_history_v2_r1_calls` after one `rebuild()`). Name indexes after the
 * physical table (`${t.calls}_by_customer`) so every build gets its own.
 */
export type TableNames<Logical extends string = string> = Readonly<Record<Logical, string>>;

/** Applies events to a projection's tables. Runs inside the runner's transaction: synchronous, no I/O elsewhere. */
export interface ProjectionHandler {
  /** Called for every event in `$all`; ignore the types you do not project. */
  handle(event: RecordedEvent): void;
  /**
   * Optional, for catch-up: applies consecutive events of `$all` (in order) with the same result as `handle`
   * on each, but may fold several events of one row in memory and write the row once. Used only while the
   * build is catching up, in large batches; the live path always calls `handle`. If it throws, the runner
   * applies the same batch again with `handle` to find (and report) the event at fault.
   */
  handleBatch?(events: readonly RecordedEvent[]): void;
}

/** How a build starts; passed to `setup`. */
export interface SetupContext {
  /**
   * The build starts from nothing (first build, new version, rebuild): setup may leave secondary indexes
   * to `afterCatchUp`, which the runner then calls once the build has caught up (or at once if the log is
   * short), so that millions of rows are indexed in bulk instead of one entry at a time.
   */
  readonly deferIndexes: boolean;
}

/**
 * A named, versioned read model built from `$all`.
 *
 * Bumping `version` makes the engine build the new version into fresh tables from the start while the old
 * version keeps serving queries, then switch over (blue/green). Handlers should still be idempotent (guard
 * by stream revision): the checkpoint makes delivery exactly-once, but a rebuild or a manual replay may not.
 * Register the old version too (same name) to keep its tables updated until the switch; otherwise they serve
 * as of their last checkpoint. Queries run against whichever version is active, so during a change of
 * schema they must read both. A handler that throws stops this projection (its batch rolls back) until
 * `ProjectionEngine.restart(name)`.
 */
export interface Projection<Logical extends string = string> {
  readonly name: string;
  readonly version: number;
  readonly tables: readonly Logical[];
  /**
   * Creates the tables and indexes (IF NOT EXISTS) and returns a handler with its statements prepared.
   * Runs in a transaction at every start of a runner (also after `restart`), so it must be repeatable.
   */
  setup(db: Database.Database, tables: TableNames<Logical>, context?: SetupContext): ProjectionHandler;
  /**
   * Optional: runs once a build set up with `deferIndexes` has caught up, in its own transaction, before the
   * build is reported live (so before readiness and before a blue/green switch). Creates what setup left
   * out (IF NOT EXISTS: it may run again after a crash).
   */
  afterCatchUp?(db: Database.Database, tables: TableNames<Logical>): void;
}
