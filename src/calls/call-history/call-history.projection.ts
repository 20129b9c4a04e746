import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, SetupContext, TableNames } from '../../projections/projection';
import type { CallEvent } from '../call';
import { CALL_CONTROL_EVENT_TYPES } from '../call-control.events';
import { callIdFromStream } from '../call-stream';
import { CallRows, type RevisedCallEvent } from './call-rows';

export const CALL_HISTORY = 'call-history';
export type CallHistoryTables = TableNames<'calls'>;

/** Every event type of the call stream; anything else in a call stream is ignored, never guessed at. */
const CALL_EVENT_TYPES = new Set<CallEvent['type']>([
  'CallCreated',
  'CallRinging',
  'CallAnswered',
  'CallHangupRequested',
  'CallHungUp',
  'CallAssignedToConference',
  'CallReleasedFromConference',
  'CallChained',
  ...CALL_CONTROL_EVENT_TYPES,
  // --- recording (issue 12 §2) ---
  'CallRecordingStarted',
  'CallRecordingStopped',
]);

/**
 * One row per call: the call's folded state (the aggregate's own `evolve`, so the read model can never
 * disagree with the decider about what an event means) plus the columns the list filters use.
 *
 * The API view is rendered from `state` at read time by `callView` rather than stored: it is a cheap pure
 * function of (state, revision), the state must be stored anyway to apply the next event, and a change to
 * the view then needs no rebuild.
 *
 * Every index starts with the tenant and ends with (created, call_id), the keyset of the cursor, so each
 * filter is one index range scan in either direction: no OFFSET, no COUNT, whatever the table's size.
 * `created` is the ISO-8601 UTC creation time; `toISOString` output sorts correctly as text.
 *
 * Built for catch-up (a rebuild applies millions of events): an event costs one write and no read. The
 * folded state comes from memory (`FoldedCalls`), an update sets only the columns that changed (SQLite
 * rewrites the entries of every index whose columns are SET), and the indexes on nullable columns are
 * partial, so a new call with no user, contact or hangup reason writes no entry for them (an `x = ?` filter
 * implies `x IS NOT NULL`, so the planner still uses them). Version 2: those partial indexes.
 *
 * Catch-up (`handleBatch`): the events of one call within a batch are folded in memory and its row is
 * written once, and a fresh build creates its secondary indexes in bulk once caught up (`afterCatchUp`).
 *
 * Idempotent: a row only moves forward in stream revision, so an event applied twice changes nothing.
 */
export const callHistoryProjection: Projection<'calls'> = {
  name: CALL_HISTORY,
  version: 2,
  tables: ['calls'],
  setup(db: Database.Database, t: CallHistoryTables, context?: SetupContext) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.calls} (
        call_id       TEXT    PRIMARY KEY,
        customer_id   TEXT    NOT NULL,
        created       TEXT    NOT NULL,
        status        TEXT    NOT NULL,
        type          TEXT    NOT NULL,
        direction     TEXT    NOT NULL,
        contact_id    TEXT,
        user_id       TEXT,
        hangup_reason TEXT,
        revision      INTEGER NOT NULL,
        state         TEXT    NOT NULL
      );
    `);
    if (!context?.deferIndexes) db.exec(secondaryIndexes(t));
    const rows = new CallRows(db, t.calls);
    return {
      handle(event: RecordedEvent) {
        const callEvent = asCallEvent(event);
        if (callEvent) rows.apply(callEvent.callId, [callEvent]);
      },
      handleBatch(events: readonly RecordedEvent[]) {
        // Map order is first-appearance order: calls are written in the order they first show up.
        const byCall = new Map<string, RevisedCallEvent[]>();
        for (const event of events) {
          const callEvent = asCallEvent(event);
          if (!callEvent) continue;
          const list = byCall.get(callEvent.callId);
          if (list) list.push(callEvent);
          else byCall.set(callEvent.callId, [callEvent]);
        }
        for (const [callId, list] of byCall) rows.apply(callId, list);
      },
    };
  },
  afterCatchUp(db: Database.Database, t: CallHistoryTables) {
    db.exec(secondaryIndexes(t));
  },
};

function asCallEvent(event: RecordedEvent): (RevisedCallEvent & { callId: string }) | null {
  const callId = callIdFromStream(event.streamId);
  if (callId === null || !CALL_EVENT_TYPES.has(event.type as CallEvent['type'])) return null;
  return { callId, event: event as unknown as CallEvent, revision: Number(event.revision) };
}

function secondaryIndexes(t: CallHistoryTables): string {
  return `
    CREATE INDEX IF NOT EXISTS ${t.calls}_by_created ON ${t.calls} (customer_id, created, call_id);
    CREATE INDEX IF NOT EXISTS ${t.calls}_by_status ON ${t.calls} (customer_id, status, created, call_id);
    CREATE INDEX IF NOT EXISTS ${t.calls}_by_user ON ${t.calls} (customer_id, user_id, created, call_id)
      WHERE user_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${t.calls}_by_contact ON ${t.calls} (customer_id, contact_id, created, call_id)
      WHERE contact_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${t.calls}_by_direction ON ${t.calls} (customer_id, direction, created, call_id);
    CREATE INDEX IF NOT EXISTS ${t.calls}_by_type ON ${t.calls} (customer_id, type, created, call_id);
    CREATE INDEX IF NOT EXISTS ${t.calls}_by_hangup_reason
      ON ${t.calls} (customer_id, hangup_reason, created, call_id) WHERE hangup_reason IS NOT NULL;
  `;
}
