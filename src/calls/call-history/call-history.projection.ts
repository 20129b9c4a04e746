import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Projection, TableNames } from '../../projections/projection';
import { type Call, type CallEvent, evolve, initialState, isCall } from '../call';
import { callIdFromStream } from '../call-stream';

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
 * Idempotent: a row only moves forward in stream revision, so an event applied twice changes nothing.
 */
export const callHistoryProjection: Projection<'calls'> = {
  name: CALL_HISTORY,
  version: 1,
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
      CREATE INDEX IF NOT EXISTS ${t.calls}_by_user ON ${t.calls} (customer_id, user_id, created, call_id);
      CREATE INDEX IF NOT EXISTS ${t.calls}_by_contact ON ${t.calls} (customer_id, contact_id, created, call_id);
      CREATE INDEX IF NOT EXISTS ${t.calls}_by_direction ON ${t.calls} (customer_id, direction, created, call_id);
      CREATE INDEX IF NOT EXISTS ${t.calls}_by_type ON ${t.calls} (customer_id, type, created, call_id);
      CREATE INDEX IF NOT EXISTS ${t.calls}_by_hangup_reason
        ON ${t.calls} (customer_id, hangup_reason, created, call_id);
    `);
    const select = db.prepare<[string], { revision: number; state: string }>(
      `SELECT revision, state FROM ${t.calls} WHERE call_id = ?`,
    );
    const insert = db.prepare(
      `INSERT INTO ${t.calls} (call_id, customer_id, created, status, type, direction, contact_id, user_id,
         hangup_reason, revision, state)
       VALUES (@call_id, @customer_id, @created, @status, @type, @direction, @contact_id, @user_id,
         @hangup_reason, @revision, @state)
       ON CONFLICT (call_id) DO NOTHING`,
    );
    // Only the columns an event can change; the revision guard repeats the check made on read.
    const update = db.prepare(
      `UPDATE ${t.calls} SET status = @status, hangup_reason = @hangup_reason, revision = @revision,
         state = @state
       WHERE call_id = @call_id AND revision < @revision`,
    );
    return {
      handle(event: RecordedEvent) {
        const callId = callIdFromStream(event.streamId);
        if (callId === null || !CALL_EVENT_TYPES.has(event.type as CallEvent['type'])) return;
        const callEvent = event as unknown as CallEvent;
        const revision = Number(event.revision);
        if (callEvent.type === 'CallCreated') {
          // A replayed creation hits the primary key and changes nothing.
          const call = evolve(initialState, callEvent);
          if (isCall(call)) insert.run(columns(call, revision, true));
          return;
        }
        const row = select.get(callId);
        // Events never precede their CallCreated in a stream (revision 0), so a missing row means the
        // stream is not a call's; an old revision means this event was applied already.
        if (!row || row.revision >= revision) return;
        const call = evolve(JSON.parse(row.state) as Call, callEvent);
        if (isCall(call)) update.run(columns(call, revision, false));
      },
    };
  },
};

function columns(call: Call, revision: number, all: boolean): Record<string, string | number | null> {
  const changing = {
    call_id: call.id,
    status: call.status,
    hangup_reason: call.hangupReason,
    revision,
    state: JSON.stringify(call),
  };
  if (!all) return changing;
  return {
    ...changing,
    customer_id: call.customerId,
    created: call.tmCreate,
    type: call.type,
    direction: call.direction,
    contact_id: call.contactId,
    user_id: call.userId,
  };
}
