import Database from 'better-sqlite3';

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Reservation =
  | { outcome: 'reserved' }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'in_progress' }
  | { outcome: 'mismatch' };

interface Row {
  fingerprint: string;
  state: 'in_progress' | 'done';
  response: string | null;
  created_at: number;
}

/** Keys are remembered this long, as promised in the API docs. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A reservation older than this belongs to a request that died with its process; it may be retried. */
const ABANDONED_AFTER_MS = 60 * 1000;

/**
 * Responses of mutations sent with `Idempotency-Key`, per tenant, for 24 h. Its own small SQLite file:
 * it is operational state, not derivable from events, so it must not live in the rebuildable read models.
 * `synchronous=NORMAL`: a power cut may forget the last responses, and the retried command is then decided
 * again against the event log, which is the source of truth.
 */
export class IdempotencyStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string, string], Row>;
  private readonly upsertReservation: Database.Statement<[string, string, string, number]>;
  private readonly complete: Database.Statement<[string, string, string]>;
  private readonly release: Database.Statement<[string, string]>;
  private readonly expire: Database.Statement<[number]>;
  private writesSinceSweep = 0;

  constructor(filename: string) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      customer_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, state TEXT NOT NULL,
      response TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (customer_id, key))`);
    this.select = this.db.prepare(
      'SELECT fingerprint, state, response, created_at FROM idempotency_keys WHERE customer_id = ? AND key = ?',
    );
    this.upsertReservation = this.db.prepare(
      `INSERT INTO idempotency_keys (customer_id, key, fingerprint, state, created_at) VALUES (?, ?, ?, 'in_progress', ?)
       ON CONFLICT (customer_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'in_progress',
         response = NULL, created_at = excluded.created_at`,
    );
    this.complete = this.db.prepare(
      `UPDATE idempotency_keys SET state = 'done', response = ? WHERE customer_id = ? AND key = ?`,
    );
    this.release = this.db.prepare('DELETE FROM idempotency_keys WHERE customer_id = ? AND key = ?');
    this.expire = this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');
  }

  /** Atomically looks the key up and, when it is free, reserves it for this request. */
  reserve(customerId: string, key: string, fingerprint: string, nowMs: number): Reservation {
    return this.db.transaction((): Reservation => {
      const row = this.select.get(customerId, key);
      const live = row && row.created_at > nowMs - IDEMPOTENCY_TTL_MS;
      const abandoned = row?.state === 'in_progress' && row.created_at <= nowMs - ABANDONED_AFTER_MS;
      if (row && live && !abandoned) {
        if (row.fingerprint !== fingerprint) return { outcome: 'mismatch' };
        if (row.state === 'in_progress') return { outcome: 'in_progress' };
        return { outcome: 'replay', response: JSON.parse(row.response!) as StoredResponse };
      }
      this.upsertReservation.run(customerId, key, fingerprint, nowMs);
      if (++this.writesSinceSweep >= 1000) {
        this.writesSinceSweep = 0;
        this.expire.run(nowMs - IDEMPOTENCY_TTL_MS);
      }
      return { outcome: 'reserved' };
    })();
  }

  saveResponse(customerId: string, key: string, response: StoredResponse): void {
    this.complete.run(JSON.stringify(response), customerId, key);
  }

  /** The request failed: forget the key so a corrected retry can run. */
  releaseKey(customerId: string, key: string): void {
    this.release.run(customerId, key);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
