import type { ProjectionEngine } from '../projections/projection-engine';
import type { ReadModelDatabase } from '../projections/read-model-database';
import { TIMERS_PROJECTION, type TimerTables } from './timers.projection';

/** A due timer as the timers projection lists it, with the state its command is built from. */
export interface DueTimerRow {
  streamId: string;
  source: string;
  kind: string;
  dueAt: string;
  dueMs: number;
  customerId: string;
  correlationId: string;
  /** JSON of the folded aggregate state. */
  state: string;
}

interface RawRow {
  stream_id: string;
  source: string;
  kind: string;
  due_at: string;
  due_ms: number;
  customer_id: string;
  correlation_id: string;
  state: string;
}

const toRow = (raw: RawRow): DueTimerRow => ({
  streamId: raw.stream_id,
  source: raw.source,
  kind: raw.kind,
  dueAt: raw.due_at,
  dueMs: raw.due_ms,
  customerId: raw.customer_id,
  correlationId: raw.correlation_id,
  state: raw.state,
});

export type DueCursor = { dueMs: number; streamId: string; kind: string };

/** Queries on the timers projection. Table names are looked up per query (blue/green safe). */
export class DueTimers {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
  ) {}

  /** Timers due at or before `nowMs`, oldest first, after `cursor` (paging), at most `limit`. */
  dueBy(nowMs: number, cursor: DueCursor | null, limit: number): DueTimerRow[] {
    const t = this.engine.tables<'streams' | 'due'>(TIMERS_PROJECTION) as TimerTables;
    const after = cursor ?? { dueMs: Number.MIN_SAFE_INTEGER, streamId: '', kind: '' };
    return this.readModels.connection
      .prepare<[number, number, string, string, number], RawRow>(
        `SELECT d.stream_id, s.source, d.kind, d.due_at, d.due_ms, d.customer_id, d.correlation_id, s.state
         FROM ${t.due} d JOIN ${t.streams} s ON s.stream_id = d.stream_id
         WHERE d.due_ms <= ? AND (d.due_ms, d.stream_id, d.kind) > (?, ?, ?) AND s.state IS NOT NULL
         ORDER BY d.due_ms, d.stream_id, d.kind LIMIT ?`,
      )
      .all(nowMs, after.dueMs, after.streamId, after.kind, limit)
      .map(toRow);
  }

  /** The earliest due time strictly after `nowMs`, or null. */
  nextAfter(nowMs: number): number | null {
    const t = this.engine.tables<'streams' | 'due'>(TIMERS_PROJECTION) as TimerTables;
    const row = this.readModels.connection
      .prepare<[number], { next: number | null }>(`SELECT MIN(due_ms) AS next FROM ${t.due} WHERE due_ms > ?`)
      .get(nowMs);
    return row?.next ?? null;
  }

  /**
   * How many positions the timers projection is behind the log while its active build catches up; 0 once
   * it is live (a blue/green rebuild in progress leaves the active build live).
   */
  async catchUpLag(): Promise<bigint> {
    const status = (await this.engine.status()).find((projection) => projection.name === TIMERS_PROJECTION);
    return status?.state === 'catching_up' ? status.lag.positions : 0n;
  }

  /** Every listed timer of a stream (tests, diagnostics). */
  ofStream(streamId: string): Array<{ kind: string; dueAt: string }> {
    const t = this.engine.tables<'streams' | 'due'>(TIMERS_PROJECTION) as TimerTables;
    return this.readModels.connection
      .prepare<[string], { kind: string; due_at: string }>(
        `SELECT kind, due_at FROM ${t.due} WHERE stream_id = ? ORDER BY kind`,
      )
      .all(streamId)
      .map((row) => ({ kind: row.kind, dueAt: row.due_at }));
  }
}
