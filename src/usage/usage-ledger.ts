import type Database from 'better-sqlite3';
import type { TableNames } from '../projections/projection';
import { minutesRoundedUp, secondsBetween, type UsageKind, utcDayOf } from './usage-metering';

export type UsageTables = TableNames<'open' | 'metered' | 'daily'>;

/** How a metered thing ended. `seconds` given (a call's own duration) or counted from its start. */
export type UsageEnd = { endedAt: string; outcome: string; seconds?: number };

/** A subject seen but not ended, as its `open` row holds it. */
type OpenSubject = { customer_id: string; kind: UsageKind; direction: string; started_at: string | null };

/** One day's totals to add, keyed by the `daily` primary key. */
type DayTotals = {
  customerId: string;
  day: string;
  kind: UsageKind;
  direction: string;
  outcome: string;
  count: number;
  seconds: number;
  minutes: number;
};

/**
 * What a batch holds back until its end: the subjects it opened (most calls of a catch-up batch end in the
 * same batch, and then never need an `open` row) and its additions to `daily`, summed per key.
 */
type PendingBatch = { opened: Map<string, OpenSubject>; days: Map<string, DayTotals> };

/**
 * The usage projection's tables and the only writes to them. Every metered thing (a call, a participation,
 * a recording) is a SUBJECT with its own id:
 *
 *   open ──start──▶ open (started) ──close──▶ metered (one row, forever) + its day's totals in `daily`
 *
 * - `open`: subjects seen but not yet ended (customer, direction, when metering started).
 * - `metered`: one row per ended subject, keyed by its id. It is the idempotency ledger: a subject is
 *   added to `daily` only by the insert that created its row, so an event applied twice, or a stream
 *   replayed, never counts twice; and an ended subject is never opened again.
 * - `daily`: totals per (tenant, UTC day, kind, direction, outcome), what queries read: a year of a tenant
 *   is at most a few thousand rows, whatever its number of calls. Months are sums of days.
 *
 * `inBatch` (catch-up) gives the same rows with fewer statements: a subject opened in the batch is held in
 * memory and written only if it is still open at the end, and the batch's day totals are added once per
 * key. A subject held in memory has no `open` row (it was checked when it was opened), so every later
 * step on it in the batch is exactly what the statements would have done to the row.
 */
export class UsageLedger {
  private readonly openStatement: Database.Statement;
  private readonly startStatement: Database.Statement;
  private readonly findOpen: Database.Statement<[string], OpenSubject>;
  private readonly meter: Database.Statement;
  private readonly addToDay: Database.Statement;
  private readonly forget: Database.Statement;
  private pending: PendingBatch | null = null;

  constructor(db: Database.Database, t: UsageTables) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.open} (
        subject_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL,
        direction TEXT NOT NULL, started_at TEXT
      );
      CREATE TABLE IF NOT EXISTS ${t.metered} (
        subject_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL, day TEXT NOT NULL,
        ended_at TEXT NOT NULL, direction TEXT NOT NULL, outcome TEXT NOT NULL,
        seconds INTEGER NOT NULL, minutes INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${t.daily} (
        customer_id TEXT NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL, direction TEXT NOT NULL,
        outcome TEXT NOT NULL, count INTEGER NOT NULL, seconds INTEGER NOT NULL, minutes INTEGER NOT NULL,
        PRIMARY KEY (customer_id, day, kind, direction, outcome)
      ) WITHOUT ROWID;
    `);
    this.openStatement = db.prepare(
      `INSERT INTO ${t.open} (subject_id, customer_id, kind, direction, started_at)
       SELECT @id, @customerId, @kind, @direction, @startedAt
       WHERE NOT EXISTS (SELECT 1 FROM ${t.metered} WHERE subject_id = @id)
       ON CONFLICT (subject_id) DO NOTHING`,
    );
    this.startStatement = db.prepare(
      `UPDATE ${t.open} SET started_at = ? WHERE subject_id = ? AND started_at IS NULL`,
    );
    this.findOpen = db.prepare<[string], OpenSubject>(
      `SELECT customer_id, kind, direction, started_at FROM ${t.open} WHERE subject_id = ?`,
    );
    this.meter = db.prepare(
      `INSERT INTO ${t.metered} (subject_id, customer_id, kind, day, ended_at, direction, outcome, seconds, minutes)
       VALUES (@id, @customerId, @kind, @day, @endedAt, @direction, @outcome, @seconds, @minutes)
       ON CONFLICT (subject_id) DO NOTHING`,
    );
    this.addToDay = db.prepare(
      `INSERT INTO ${t.daily} (customer_id, day, kind, direction, outcome, count, seconds, minutes)
       VALUES (@customerId, @day, @kind, @direction, @outcome, @count, @seconds, @minutes)
       ON CONFLICT (customer_id, day, kind, direction, outcome) DO UPDATE SET
         count = count + excluded.count, seconds = seconds + excluded.seconds, minutes = minutes + excluded.minutes`,
    );
    this.forget = db.prepare(`DELETE FROM ${t.open} WHERE subject_id = ?`);
  }

  /**
   * Applies what `apply` records as one batch (same rows as without it, fewer statements); the held-back
   * writes happen when `apply` returns. Not reentrant.
   */
  inBatch(apply: () => void): void {
    this.pending = { opened: new Map(), days: new Map() };
    try {
      apply();
      const { opened, days } = this.pending;
      for (const [id, subject] of opened) this.openStatement.run(openRow(id, subject));
      for (const totals of days.values()) this.addToDay.run(totals);
    } finally {
      this.pending = null;
    }
  }

  /** A subject begins; `startedAt` when metering starts at once (a recording), else `start` later. */
  open(
    id: string,
    subject: { customerId: string; kind: UsageKind; direction?: string; startedAt?: string | null },
  ): void {
    const open: OpenSubject = {
      customer_id: subject.customerId,
      kind: subject.kind,
      direction: subject.direction ?? '',
      started_at: subject.startedAt ?? null,
    };
    if (!this.pending) {
      this.openStatement.run(openRow(id, open));
      return;
    }
    // As the insert's ON CONFLICT DO NOTHING: the first open wins, in memory or in the table. Whether it
    // was metered already is decided where the statements decide it: at its end, or at the batch's end.
    if (this.pending.opened.has(id) || this.findOpen.get(id)) return;
    this.pending.opened.set(id, open);
  }

  /** Metering starts (a participant is in the bridge); the first start counts. */
  start(id: string, at: string): void {
    const held = this.pending?.opened.get(id);
    if (!held) this.startStatement.run(at, id);
    else if (held.started_at === null) held.started_at = at;
  }

  /** The subject ended: meter it once, into the UTC day of its end. Unknown or already ended: nothing. */
  close(id: string, end: UsageEnd): void {
    const held = this.pending?.opened.get(id);
    const open = held ?? this.findOpen.get(id);
    if (!open) return;
    const seconds =
      end.seconds ?? (open.started_at === null ? 0 : secondsBetween(open.started_at, end.endedAt));
    const row = {
      id,
      customerId: open.customer_id,
      kind: open.kind,
      day: utcDayOf(end.endedAt),
      endedAt: end.endedAt,
      direction: open.direction,
      outcome: end.outcome,
      count: 1,
      seconds,
      minutes: minutesRoundedUp(seconds),
    };
    if (this.meter.run(row).changes === 1) this.addToDayOf(row);
    if (held) this.pending!.opened.delete(id);
    else this.forget.run(id);
  }

  private addToDayOf(row: DayTotals): void {
    if (!this.pending) {
      this.addToDay.run(row);
      return;
    }
    const key = `${row.customerId}\u0000${row.day}\u0000${row.kind}\u0000${row.direction}\u0000${row.outcome}`;
    const totals = this.pending.days.get(key);
    if (!totals) {
      const { customerId, day, kind, direction, outcome, seconds, minutes } = row;
      this.pending.days.set(key, { customerId, day, kind, direction, outcome, count: 1, seconds, minutes });
      return;
    }
    totals.count += 1;
    totals.seconds += row.seconds;
    totals.minutes += row.minutes;
  }
}

function openRow(id: string, open: OpenSubject) {
  return {
    id,
    customerId: open.customer_id,
    kind: open.kind,
    direction: open.direction,
    startedAt: open.started_at,
  };
}
