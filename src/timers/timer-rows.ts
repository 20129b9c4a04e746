import type Database from 'better-sqlite3';
import { toDomainEvent } from '../command-handling/command-executor';
import type { RecordedEvent } from '../event-store/event-store';
import type { TimerSource } from './timer-source';

/** A due row as the table holds it, minus its key. */
interface DueRow {
  dueAt: string;
  customerId: string;
  correlationId: string;
}

/**
 * The rows of one stream in the timers projection: applies consecutive events of ONE stream (one event on
 * the live path, all of a batch's events of that stream while catching up) with one read and one write of
 * its state row, and one write per due row that differs at the end. The result equals applying the events
 * one at a time, because the fold replays exactly what the one-at-a-time path does, in memory:
 *  - an event at or below the stream's revision changes nothing (duplicates, replays);
 *  - once `finished`, later events only move the revision;
 *  - after each event the stream's due rows are `dueTimers(state)`, and a row whose due time did not move
 *    keeps the tenant and correlation of the event that scheduled it (a moved, dropped-then-re-added or new
 *    one takes the current event's).
 * So the in-memory due map is the table's rows after each event; only the last one is written.
 *
 * The state is parsed once per call and stringified once: every registered source's state is plain JSON
 * (ISO strings, no Dates or Maps), so folding the object equals folding its JSON round trip.
 *
 * Invariant used: a stream with no state row has no due rows (both are written only here, together).
 */
export class TimerRows {
  private readonly selectStream: Database.Statement<[string], { revision: bigint; state: string | null }>;
  private readonly upsertStream: Database.Statement<[string, string, bigint, string | null]>;
  private readonly selectDue: Database.Statement<
    [string],
    { kind: string; due_at: string; customer_id: string; correlation_id: string }
  >;
  private readonly upsertDue: Database.Statement<[string, string, string, number, string, string]>;
  private readonly deleteDue: Database.Statement<[string, string]>;

  constructor(db: Database.Database, t: { streams: string; due: string }) {
    this.selectStream = db
      .prepare<[string], { revision: bigint; state: string | null }>(
        `SELECT revision, state FROM ${t.streams} WHERE stream_id = ?`,
      )
      .safeIntegers(true);
    this.upsertStream = db.prepare(
      `INSERT INTO ${t.streams} (stream_id, source, revision, state) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, state = excluded.state`,
    );
    this.selectDue = db.prepare(
      `SELECT kind, due_at, customer_id, correlation_id FROM ${t.due} WHERE stream_id = ?`,
    );
    // Only rows that differ from the table are written (the fold decided which), so no WHERE here.
    this.upsertDue = db.prepare(
      `INSERT INTO ${t.due} (stream_id, kind, due_at, due_ms, customer_id, correlation_id)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (stream_id, kind) DO UPDATE SET due_at = excluded.due_at, due_ms = excluded.due_ms,
         customer_id = excluded.customer_id, correlation_id = excluded.correlation_id`,
    );
    this.deleteDue = db.prepare(`DELETE FROM ${t.due} WHERE stream_id = ? AND kind = ?`);
  }

  /**
   * `events`: of one stream of `source`, in stream order (duplicates allowed). True when a due row changed
   * on the way (as the one-at-a-time path would have reported), even if the last event changed it back;
   * false for a stream the events begin and end (`source.lifespan`): it had no rows and has none, so the
   * table's due rows are as they were, whatever the stream wanted in between.
   */
  apply(source: TimerSource, streamId: string, events: readonly RecordedEvent[]): boolean {
    const row = this.selectStream.get(streamId);
    if (row === undefined && source.lifespan) {
      // A stream with no row has no due rows (see the invariant), so a whole life is one row, unfolded.
      const end = revisionOfWholeLife(source.lifespan, events);
      if (end !== null) {
        this.upsertStream.run(streamId, source.name, end, null);
        return false;
      }
    }
    let revision = row ? row.revision : -1n;
    let finished = row !== undefined && row.state === null;
    let state: unknown;
    let stored: Map<string, DueRow> | null = null; // the table's due rows, once the state is folded
    let due = new Map<string, DueRow>();
    let changed = false;
    const start = revision;
    for (const event of events) {
      if (event.revision <= revision) continue;
      revision = event.revision;
      if (finished) continue;
      if (stored === null) {
        state = row ? JSON.parse(row.state!) : source.decider.initialState;
        stored = row ? this.dueOf(streamId) : new Map();
        due = new Map(stored);
      }
      state = source.decider.evolve(state, toDomainEvent(event));
      finished = source.finished?.(state) ?? false;
      if (this.foldDue(due, finished ? [] : source.dueTimers(state), event)) changed = true;
    }
    if (revision === start) return false;
    this.upsertStream.run(streamId, source.name, revision, finished ? null : JSON.stringify(state));
    if (stored !== null) this.write(streamId, stored, due);
    return changed;
  }

  /** One event's effect on the due rows (the map), as the one-at-a-time path writes it. */
  private foldDue(
    due: Map<string, DueRow>,
    timers: readonly { kind: string; dueAt: string }[],
    event: RecordedEvent,
  ): boolean {
    let changed = false;
    for (const kind of due.keys()) {
      if (timers.some((timer) => timer.kind === kind)) continue;
      due.delete(kind);
      changed = true;
    }
    for (const { kind, dueAt } of timers) {
      if (due.get(kind)?.dueAt === dueAt) continue;
      const { customer_id, correlation_id } = event.metadata;
      due.set(kind, { dueAt, customerId: customer_id, correlationId: correlation_id });
      changed = true;
    }
    return changed;
  }

  private dueOf(streamId: string): Map<string, DueRow> {
    const rows = new Map<string, DueRow>();
    for (const raw of this.selectDue.all(streamId))
      rows.set(raw.kind, {
        dueAt: raw.due_at,
        customerId: raw.customer_id,
        correlationId: raw.correlation_id,
      });
    return rows;
  }

  /** Writes the difference between the table's due rows (`stored`) and the folded ones (`due`). */
  private write(streamId: string, stored: Map<string, DueRow>, due: Map<string, DueRow>): void {
    for (const kind of stored.keys()) if (!due.has(kind)) this.deleteDue.run(streamId, kind);
    for (const [kind, next] of due) {
      const previous = stored.get(kind);
      if (
        previous?.dueAt === next.dueAt &&
        previous.customerId === next.customerId &&
        previous.correlationId === next.correlationId
      )
        continue;
      this.upsertDue.run(
        streamId,
        kind,
        next.dueAt,
        Date.parse(next.dueAt),
        next.customerId,
        next.correlationId,
      );
    }
  }
}

/**
 * The revision of the stream's last event when `events` (one stream, in order, duplicates allowed) hold its
 * life from its creation (revision 0) to an end; null otherwise.
 */
function revisionOfWholeLife(
  lifespan: NonNullable<TimerSource['lifespan']>,
  events: readonly RecordedEvent[],
): bigint | null {
  let revision = -1n;
  let ended = false;
  for (const event of events) {
    if (event.revision <= revision) continue;
    if (revision === -1n && (event.revision !== 0n || event.type !== lifespan.created)) return null;
    revision = event.revision;
    if (event.type === lifespan.ended) ended = true;
  }
  return ended ? revision : null;
}
