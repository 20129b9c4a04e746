import type Database from 'better-sqlite3';
import { type Call, type CallEvent, evolve, initialState, isCall } from '../call';
import { type FoldedCall, FoldedCalls } from './folded-calls';

/** A call event with its stream revision, as the projection applies it. */
export type RevisedCallEvent = { event: CallEvent; revision: number };

/** Calls in progress whose folded state is kept in memory (about 1.5 KB each). */
const FOLDED_CALLS = 10_000;

/**
 * The rows of the call-history table: applies consecutive events of ONE call (one event on the live path,
 * all of a batch's events of that call while catching up) with one write. The result equals applying them
 * one at a time: a row only moves forward in revision, an event at or below the row's revision changes
 * nothing, a `CallCreated` of an existing row changes nothing, and the list's filter columns other than
 * status and hangup reason keep their values from the creation.
 */
export class CallRows {
  private readonly select: Database.Statement<[string], { revision: number; state: string }>;
  private readonly insert: Database.Statement<unknown[]>;
  private readonly updates: ChangedColumnUpdates;
  private readonly folded = new FoldedCalls(FOLDED_CALLS);

  constructor(db: Database.Database, table: string) {
    this.select = db.prepare(`SELECT revision, state FROM ${table} WHERE call_id = ?`);
    this.insert = db.prepare(
      `INSERT INTO ${table} (call_id, customer_id, created, status, type, direction, contact_id, user_id,
         hangup_reason, revision, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (call_id) DO NOTHING`,
    );
    this.updates = new ChangedColumnUpdates(db, table);
  }

  /** `events`: of one call, in stream order (duplicates allowed). */
  apply(callId: string, events: readonly RevisedCallEvent[]): void {
    const first = events[0];
    if (first?.event.type === 'CallCreated' && this.create(callId, events)) return;
    this.update(callId, events, true);
  }

  /** Inserts the call folded over `events`; false when the row existed already (a replay). */
  private create(callId: string, events: readonly RevisedCallEvent[]): boolean {
    const creation = evolve(initialState, events[0].event);
    // Not a call (cannot happen for a well-formed creation): later events find no row and are skipped.
    if (!isCall(creation)) return true;
    const last = fold({ revision: events[0].revision, call: creation }, events, 1);
    const { call, revision } = last;
    const changes = this.insert.run(
      call.id,
      creation.customerId,
      creation.tmCreate,
      call.status,
      creation.type,
      creation.direction,
      creation.contactId,
      creation.userId,
      call.hangupReason,
      revision,
      JSON.stringify(call),
    ).changes;
    if (changes === 0) return false;
    this.folded.set(callId, last);
    return true;
  }

  private update(callId: string, events: readonly RevisedCallEvent[], fromMemory: boolean): void {
    const previous = this.previousOf(callId, fromMemory);
    if (previous === null) return;
    const next = fold(previous, events, 0);
    if (next === previous) {
      // Nothing after memory's revision: applied already, unless memory is ahead of the table (a batch
      // rolled back, now applied again). Only the row can tell; this is the rare replay path.
      if (fromMemory && this.folded.get(callId) === previous) this.update(callId, events, false);
      return;
    }
    if (this.updates.run(previous, next.call, next.revision)) {
      this.folded.set(callId, next);
    } else if (fromMemory) {
      // Memory was ahead of the table (a rolled-back batch): start again from the row.
      this.folded.forget(callId);
      this.update(callId, events, false);
    }
  }

  /** The call's state as last written: from memory when it is there, else from the row; null when none. */
  private previousOf(callId: string, fromMemory: boolean): FoldedCall | null {
    const kept = fromMemory ? this.folded.get(callId) : undefined;
    if (kept) return kept;
    const row = this.select.get(callId);
    // Events never precede their CallCreated in a stream (revision 0), so a missing row means the stream
    // is not a call's.
    if (!row) return null;
    return { revision: row.revision, call: JSON.parse(row.state) as Call };
  }
}

/** Applies the events after `from.revision`, skipping creations and anything that is not a call after it. */
function fold(from: FoldedCall, events: readonly RevisedCallEvent[], start: number): FoldedCall {
  let folded = from;
  for (let i = start; i < events.length; i++) {
    const { event, revision } = events[i];
    if (revision <= folded.revision || event.type === 'CallCreated') continue;
    const call = evolve(folded.call, event);
    if (isCall(call)) folded = { revision, call };
  }
  return folded;
}

/**
 * UPDATE statements by which filter columns the events changed: most events change the status only, and
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
