import type Database from 'better-sqlite3';
import { toDomainEvent } from '../command-handling/command-executor';
import type { RecordedEvent } from '../event-store/event-store';
import type { Projection, TableNames } from '../projections/projection';
import type { TimerRegistry } from './timer-source';

export const TIMERS_PROJECTION = 'timers';
/** Bump when a timer source is added or changes its timers: the new version is rebuilt from the start. */
export const TIMERS_PROJECTION_VERSION = 1;

export type TimerTables = TableNames<'streams' | 'due'>;

/**
 * Durable timers as a read model: per stream of a registered source, the folded aggregate state and the
 * timers that state is waiting for. Derived from events only, so it survives restarts, can be rebuilt, and
 * the state change that makes a timer moot (answer, hangup, stop) deletes its row: that is cancellation.
 * A timer whose due time changes (conference timeout updated) is replaced in place, keyed by (stream, kind).
 *
 * Which timers have FIRED is not here (a rebuild would fire them again): see `TimerFirings`.
 *
 * `onChange` is called (inside the batch transaction) whenever due rows change; the worker defers its
 * re-arm to after the commit.
 */
export function timersProjection(
  registry: TimerRegistry,
  onChange: () => void,
): Projection<'streams' | 'due'> {
  return {
    name: TIMERS_PROJECTION,
    version: TIMERS_PROJECTION_VERSION,
    tables: ['streams', 'due'],
    setup(db: Database.Database, t: TimerTables) {
      registry.seal();
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${t.streams} (
          stream_id TEXT PRIMARY KEY,
          source    TEXT    NOT NULL,
          revision  INTEGER NOT NULL,
          state     TEXT -- JSON; NULL once the source says the stream is finished
        );
        CREATE TABLE IF NOT EXISTS ${t.due} (
          stream_id      TEXT    NOT NULL,
          kind           TEXT    NOT NULL,
          due_at         TEXT    NOT NULL, -- ISO-8601, as the domain computed it
          due_ms         INTEGER NOT NULL, -- the same instant, for ordering and comparison
          customer_id    TEXT    NOT NULL,
          correlation_id TEXT    NOT NULL, -- of the event that scheduled it: the firing continues it
          PRIMARY KEY (stream_id, kind)
        );
        CREATE INDEX IF NOT EXISTS ${t.due}_by_time ON ${t.due} (due_ms, stream_id, kind);
      `);
      const selectStream = db
        .prepare<[string], { revision: bigint; state: string | null }>(
          `SELECT revision, state FROM ${t.streams} WHERE stream_id = ?`,
        )
        .safeIntegers(true);
      const upsertStream = db.prepare(
        `INSERT INTO ${t.streams} (stream_id, source, revision, state) VALUES (?, ?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, state = excluded.state`,
      );
      const selectKinds = db.prepare<[string], { kind: string }>(
        `SELECT kind FROM ${t.due} WHERE stream_id = ?`,
      );
      // An unchanged due time keeps its row (and the correlation of the event that first scheduled it).
      const upsertDue = db.prepare(
        `INSERT INTO ${t.due} (stream_id, kind, due_at, due_ms, customer_id, correlation_id)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (stream_id, kind) DO UPDATE SET due_at = excluded.due_at, due_ms = excluded.due_ms,
           customer_id = excluded.customer_id, correlation_id = excluded.correlation_id
         WHERE ${t.due}.due_at <> excluded.due_at`,
      );
      const deleteDue = db.prepare(`DELETE FROM ${t.due} WHERE stream_id = ? AND kind = ?`);

      return {
        handle(event: RecordedEvent) {
          const source = registry.forStream(event.streamId);
          if (!source) return;
          const row = selectStream.get(event.streamId);
          // Idempotent: an event at or below the stored revision was applied already.
          if (row && row.revision >= event.revision) return;
          if (row && row.state === null) {
            upsertStream.run(event.streamId, source.name, event.revision, null);
            return;
          }
          const state = source.decider.evolve(
            row ? JSON.parse(row.state!) : source.decider.initialState,
            toDomainEvent(event),
          );
          const finished = source.finished?.(state) ?? false;
          upsertStream.run(
            event.streamId,
            source.name,
            event.revision,
            finished ? null : JSON.stringify(state),
          );

          const timers = finished ? [] : source.dueTimers(state);
          let changed = false;
          const wanted = new Set(timers.map((timer) => timer.kind));
          for (const { kind } of selectKinds.all(event.streamId)) {
            if (wanted.has(kind)) continue;
            deleteDue.run(event.streamId, kind);
            changed = true;
          }
          for (const timer of timers) {
            const { customer_id, correlation_id } = event.metadata;
            const dueMs = Date.parse(timer.dueAt);
            const result = upsertDue.run(
              event.streamId,
              timer.kind,
              timer.dueAt,
              dueMs,
              customer_id,
              correlation_id,
            );
            if (result.changes > 0) changed = true;
          }
          if (changed) onChange();
        },
      };
    },
  };
}
