import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/event-store';

/** Logical table name → physical table name of one projection version, e.g. `calls` → `call_history_v2_calls`. */
export type TableNames<Logical extends string = string> = Readonly<Record<Logical, string>>;

/** Applies events to a projection's tables. Runs inside the runner's transaction: synchronous, no I/O elsewhere. */
export interface ProjectionHandler {
  /** Called for every event in `$all`; ignore the types you do not project. */
  handle(event: RecordedEvent): void;
}

/**
 * A named, versioned read model built from `$all`.
 *
 * Bumping `version` makes the engine build the new version into fresh tables from the start while the old
 * version keeps serving queries, then switch over (blue/green). Handlers should still be idempotent (guard
 * by stream revision): the checkpoint makes delivery exactly-once, but a rebuild or a manual replay may not.
 */
export interface Projection<Logical extends string = string> {
  readonly name: string;
  readonly version: number;
  readonly tables: readonly Logical[];
  /** Creates the tables and indexes (IF NOT EXISTS) and returns a handler with its statements prepared. */
  setup(db: Database.Database, tables: TableNames<Logical>): ProjectionHandler;
}
