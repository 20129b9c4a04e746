import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/event-store';
import type { Projection, SetupContext, TableNames } from '../projections/projection';
import { TimerRows } from './timer-rows';
import type { TimerRegistry, TimerSource } from './timer-source';

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
 *
 * Catch-up (`handleBatch`): the events of one stream within a batch are folded in memory from one read of
 * its row, and its state row and changed due rows are written once (`TimerRows`); events of streams no
 * source folds cost a prefix check and nothing else. A fresh build indexes due times after catch-up.
 */
export function timersProjection(
  registry: TimerRegistry,
  onChange: () => void,
): Projection<'streams' | 'due'> {
  return {
    name: TIMERS_PROJECTION,
    version: TIMERS_PROJECTION_VERSION,
    tables: ['streams', 'due'],
    setup(db: Database.Database, t: TimerTables, context?: SetupContext) {
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
      `);
      if (!context?.deferIndexes) db.exec(secondaryIndexes(t));
      const rows = new TimerRows(db, t);

      return {
        handle(event: RecordedEvent) {
          const source = registry.forStream(event.streamId);
          if (source && rows.apply(source, event.streamId, [event])) onChange();
        },
        handleBatch(events: readonly RecordedEvent[]) {
          // Map order is first-appearance order; null: a stream no timer source folds (never touches SQL).
          const byStream = new Map<string, { source: TimerSource; events: RecordedEvent[] } | null>();
          for (const event of events) {
            let group = byStream.get(event.streamId);
            if (group === undefined) {
              const source = registry.forStream(event.streamId);
              group = source ? { source, events: [] } : null;
              byStream.set(event.streamId, group);
            }
            group?.events.push(event);
          }
          let changed = false;
          for (const [streamId, group] of byStream)
            if (group && rows.apply(group.source, streamId, group.events)) changed = true;
          if (changed) onChange();
        },
      };
    },
    afterCatchUp(db: Database.Database, t: TimerTables) {
      db.exec(secondaryIndexes(t));
    },
  };
}

/** The worker's scan order. Left to `afterCatchUp` on a fresh build: the table is small once caught up. */
function secondaryIndexes(t: TimerTables): string {
  return `CREATE INDEX IF NOT EXISTS ${t.due}_by_time ON ${t.due} (due_ms, stream_id, kind);`;
}
