import type Database from 'better-sqlite3';
import type { TableNames } from '../projections/projection';
import { minutesRoundedUp, secondsBetween, type UsageKind, utcDayOf } from './usage-metering';

export type UsageTables = TableNames<'open' | 'metered' | 'daily'>;

/** How a metered thing ended. `seconds` given (a call's own duration) or counted from its start. */
export type UsageEnd = { endedAt: string; outcome: string; seconds?: number };

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
 */
export class UsageLedger {
  private readonly openStatement: Database.Statement;
  private readonly startStatement: Database.Statement;
  private readonly findOpen: Database.Statement<
    [string],
    { customer_id: string; kind: UsageKind; direction: string; started_at: string | null }
  >;
  private readonly meter: Database.Statement;
  private readonly addToDay: Database.Statement;
  private readonly forget: Database.Statement;

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
    this.findOpen = db.prepare(
      `SELECT customer_id, kind, direction, started_at FROM ${t.open} WHERE subject_id = ?`,
    );
    this.meter = db.prepare(
      `INSERT INTO ${t.metered} (subject_id, customer_id, kind, day, ended_at, direction, outcome, seconds, minutes)
       VALUES (@id, @customerId, @kind, @day, @endedAt, @direction, @outcome, @seconds, @minutes)
       ON CONFLICT (subject_id) DO NOTHING`,
    );
    this.addToDay = db.prepare(
      `INSERT INTO ${t.daily} (customer_id, day, kind, direction, outcome, count, seconds, minutes)
       VALUES (@customerId, @day, @kind, @direction, @outcome, 1, @seconds, @minutes)
       ON CONFLICT (customer_id, day, kind, direction, outcome) DO UPDATE SET
         count = count + 1, seconds = seconds + excluded.seconds, minutes = minutes + excluded.minutes`,
    );
    this.forget = db.prepare(`DELETE FROM ${t.open} WHERE subject_id = ?`);
  }

  /** A subject begins; `startedAt` when metering starts at once (a recording), else `start` later. */
  open(
    id: string,
    subject: { customerId: string; kind: UsageKind; direction?: string; startedAt?: string | null },
  ): void {
    this.openStatement.run({
      id,
      customerId: subject.customerId,
      kind: subject.kind,
      direction: subject.direction ?? '',
      startedAt: subject.startedAt ?? null,
    });
  }

  /** Metering starts (a participant is in the bridge); the first start counts. */
  start(id: string, at: string): void {
    this.startStatement.run(at, id);
  }

  /** The subject ended: meter it once, into the UTC day of its end. Unknown or already ended: nothing. */
  close(id: string, end: UsageEnd): void {
    const open = this.findOpen.get(id);
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
      seconds,
      minutes: minutesRoundedUp(seconds),
    };
    if (this.meter.run(row).changes === 1) this.addToDay.run(row);
    this.forget.run(id);
  }
}
