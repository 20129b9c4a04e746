import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, TableNames } from '../../projections/projection';
import { type Call, type CallEvent, evolve, initialState, isCall } from '../call';
import { CALL_CONTROL_EVENT_TYPES } from '../call-control.events';
import { callIdFromStream } from '../call-stream';
import { type FoldedCall, FoldedCalls } from './folded-calls';

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

/** Calls in progress whose folded state is kept in memory (about 1.5 KB each). */
const FOLDED_CALLS = 10_000;

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
 * Idempotent: a row only moves forward in stream revision, so an event applied twice changes nothing.
 */
export const callHistoryProjection: Projection<'calls'> = {
  name: CALL_HISTORY,
  version: 2,
  tables: ['calls'],
  setup(db: Database.Database, t: CallHistoryTables) {
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
    `);
    const select = db.prepare<[string], { revision: number; state: string }>(
      `SELECT revision, state FROM ${t.calls} WHERE call_id = ?`,
    );
    const insert = db.prepare(
      `INSERT INTO ${t.calls} (call_id, customer_id, created, status, type, direction, contact_id, user_id,
         hangup_reason, revision, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (call_id) DO NOTHING`,
    );
    const updates = new ChangedColumnUpdates(db, t.calls);
    const folded = new FoldedCalls(FOLDED_CALLS);

    /** The state before `revision`: from memory when it is there, else from the row; null to skip. */
    const previousOf = (callId: string, revision: number, fromMemory: boolean): FoldedCall | null => {
      const kept = fromMemory ? folded.get(callId) : undefined;
      if (kept && kept.revision < revision) return kept;
      const row = select.get(callId);
      // Events never precede their CallCreated in a stream (revision 0), so a missing row means the
      // stream is not a call's; an old revision means this event was applied already.
      if (!row || row.revision >= revision) return null;
      return { revision: row.revision, call: JSON.parse(row.state) as Call };
    };

    const applyChange = (callId: string, event: CallEvent, revision: number, fromMemory: boolean): void => {
      const previous = previousOf(callId, revision, fromMemory);
      if (previous === null) return;
      const call = evolve(previous.call, event);
      if (!isCall(call)) return;
      if (updates.run(previous, call, revision)) {
        folded.set(callId, { revision, call });
      } else if (fromMemory) {
        // Memory was ahead of the table (a rolled-back batch): start again from the row.
        folded.forget(callId);
        applyChange(callId, event, revision, false);
      }
    };

    return {
      handle(event: RecordedEvent) {
        const callId = callIdFromStream(event.streamId);
        if (callId === null || !CALL_EVENT_TYPES.has(event.type as CallEvent['type'])) return;
        const callEvent = event as unknown as CallEvent;
        const revision = Number(event.revision);
        if (callEvent.type !== 'CallCreated') {
          applyChange(callId, callEvent, revision, true);
          return;
        }
        // A replayed creation hits the primary key and changes nothing.
        const call = evolve(initialState, callEvent);
        if (!isCall(call)) return;
        insert.run(
          call.id,
          call.customerId,
          call.tmCreate,
          call.status,
          call.type,
          call.direction,
          call.contactId,
          call.userId,
          call.hangupReason,
          revision,
          JSON.stringify(call),
        );
        folded.set(callId, { revision, call });
      },
    };
  },
};

/**
 * UPDATE statements by which filter columns an event changed: most events change the status only, and
 * an update that does not SET `hangup_reason` leaves its index alone.
 */
class ChangedColumnUpdates {
  private readonly statements = new Map<string, Database.Statement<unknown[]>>();

  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
  ) {}

  /** False when the row is not at `previous.revision` (nothing written). */
  run(previous: FoldedCall, call: Call, revision: number): boolean {
    const status = previous.call.status !== call.status;
    const reason = previous.call.hangupReason !== call.hangupReason;
    const values: unknown[] = [revision, JSON.stringify(call)];
    if (status) values.push(call.status);
    if (reason) values.push(call.hangupReason);
    values.push(call.id, previous.revision);
    return this.statement(status, reason).run(...values).changes === 1;
  }

  private statement(status: boolean, reason: boolean): Database.Statement<unknown[]> {
    const key = `${status}:${reason}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const set = ['revision = ?', 'state = ?'];
      if (status) set.push('status = ?');
      if (reason) set.push('hangup_reason = ?');
      statement = this.db.prepare(
        `UPDATE ${this.table} SET ${set.join(', ')} WHERE call_id = ? AND revision = ?`,
      );
      this.statements.set(key, statement);
    }
    return statement;
  }
}
