import Database from 'better-sqlite3';
import { type ClaimOwner, ownerIsDead, THIS_PROCESS } from './process-owner';

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Reservation =
  /**
   * The key is this request's. `firstSeenMs` is when the key was first claimed (kept when a dead process's
   * claim is taken over, so ids derived from it stay the same); `recovered` says a previous attempt died
   * mid-request and may have committed its command.
   */
  | { outcome: 'reserved'; firstSeenMs: number; recovered: boolean }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'in_progress' }
  | { outcome: 'mismatch' };

interface Row {
  fingerprint: string;
  /** `abandoned`: the request failed with an unknown outcome (a 5xx); see `abandonKey`. */
  state: 'in_progress' | 'done' | 'abandoned';
  response: string | null;
  created_at: number;
  owner_boot: string | null;
  owner_pid: number | null;
}

/** Keys are remembered this long, as promised in the API docs. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A claim of a live process older than this is taken to be stuck and may be retried. A claim of a dead
 * process (see `ownerIsDead`) is retried at once.
 */
const ABANDONED_AFTER_MS = 60 * 1000;

/**
 * Responses of mutations sent with `Idempotency-Key`, per tenant, for 24 h. Its own small SQLite file:
 * it is operational state, not derivable from events, so it must not live in the rebuildable read models.
 * The claim is committed before the command runs (WAL, `synchronous=NORMAL`: it survives a killed process;
 * a power cut may forget the last claims, and the retried command is then decided again against the event
 * log, which is the source of truth).
 */
export class IdempotencyStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string, string], Row>;
  private readonly upsertReservation: Database.Statement<[string, string, string, number, string, number]>;
  private readonly takeOver: Database.Statement<[string, number, string, string]>;
  private readonly complete: Database.Statement<[string, string, string]>;
  private readonly release: Database.Statement<[string, string]>;
  private readonly abandon: Database.Statement<[string, string]>;
  private readonly expire: Database.Statement<[number]>;
  private writesSinceSweep = 0;

  constructor(filename: string) {
    this.db = openDatabase(filename);
    this.select = this.db.prepare(
      `SELECT fingerprint, state, response, created_at, owner_boot, owner_pid FROM idempotency_keys
       WHERE customer_id = ? AND key = ?`,
    );
    this.upsertReservation = this.db.prepare(
      `INSERT INTO idempotency_keys (customer_id, key, fingerprint, state, created_at, owner_boot, owner_pid)
       VALUES (?, ?, ?, 'in_progress', ?, ?, ?)
       ON CONFLICT (customer_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'in_progress',
         response = NULL, created_at = excluded.created_at, owner_boot = excluded.owner_boot,
         owner_pid = excluded.owner_pid`,
    );
    this.takeOver = this.db.prepare(
      `UPDATE idempotency_keys SET state = 'in_progress', owner_boot = ?, owner_pid = ?
       WHERE customer_id = ? AND key = ?`,
    );
    this.complete = this.db.prepare(
      `UPDATE idempotency_keys SET state = 'done', response = ? WHERE customer_id = ? AND key = ?`,
    );
    this.release = this.db.prepare('DELETE FROM idempotency_keys WHERE customer_id = ? AND key = ?');
    this.abandon = this.db.prepare(
      `UPDATE idempotency_keys SET state = 'abandoned', owner_boot = NULL, owner_pid = NULL
       WHERE customer_id = ? AND key = ? AND state = 'in_progress'`,
    );
    this.expire = this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');
  }

  /** Atomically looks the key up and, when it is free, reserves it for this request. */
  reserve(customerId: string, key: string, fingerprint: string, nowMs: number): Reservation {
    return this.db.transaction((): Reservation => {
      const found = this.select.get(customerId, key);
      const row = found && found.created_at > nowMs - IDEMPOTENCY_TTL_MS ? found : undefined;
      if (row && row.state !== 'abandoned') {
        if (row.fingerprint !== fingerprint) return { outcome: 'mismatch' };
        if (row.state === 'done')
          return { outcome: 'replay', response: JSON.parse(row.response!) as StoredResponse };
        if (!this.ownerGone(row, nowMs)) return { outcome: 'in_progress' };
      }
      if (row && row.fingerprint === fingerprint) {
        this.takeOver.run(THIS_PROCESS.boot, THIS_PROCESS.pid, customerId, key);
        return { outcome: 'reserved', firstSeenMs: row.created_at, recovered: true };
      }
      // Free, or abandoned by another request (a corrected one is new: its ids must differ from the ones
      // the failed request may have created).
      const firstSeenMs = row ? Math.max(nowMs, row.created_at + 1) : nowMs;
      this.upsertReservation.run(
        customerId,
        key,
        fingerprint,
        firstSeenMs,
        THIS_PROCESS.boot,
        THIS_PROCESS.pid,
      );
      if (++this.writesSinceSweep >= 1000) {
        this.writesSinceSweep = 0;
        this.expire.run(nowMs - IDEMPOTENCY_TTL_MS);
      }
      return { outcome: 'reserved', firstSeenMs, recovered: false };
    })();
  }

  private ownerGone(row: Row, nowMs: number): boolean {
    // Claims written before owners were recorded can only time out.
    const owner: ClaimOwner | null =
      row.owner_boot === null || row.owner_pid === null ? null : { boot: row.owner_boot, pid: row.owner_pid };
    return (owner !== null && ownerIsDead(owner)) || row.created_at <= nowMs - ABANDONED_AFTER_MS;
  }

  saveResponse(customerId: string, key: string, response: StoredResponse): void {
    this.complete.run(JSON.stringify(response), customerId, key);
  }

  /** The request was refused (a 4xx: nothing was written): forget the key so a corrected retry can run. */
  releaseKey(customerId: string, key: string): void {
    this.release.run(customerId, key);
  }

  /**
   * The request failed without knowing whether its command was written (a 5xx: the store gave up waiting
   * for an append it may still commit), as if its process had died. The same request again takes the
   * claim over at once with the same first-seen time, so it names the same resource and finds what the
   * first attempt committed; a different request with the key is a new one (not a 422), as after a 4xx.
   */
  abandonKey(customerId: string, key: string): void {
    this.abandon.run(customerId, key);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The idempotency file cannot be opened or written (not a database, read-only, full disk). */
export class IdempotencyDatabaseUnavailable extends Error {
  override readonly name = 'IdempotencyDatabaseUnavailable';
  constructor(filename: string, options: { cause: unknown }) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`Idempotency database ${filename} cannot be used: ${reason}`, options);
  }
}

/** Opens (creating when missing) and migrates the file; any failure is one line for the operator. */
function openDatabase(filename: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(filename);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      customer_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, state TEXT NOT NULL,
      response TEXT, created_at INTEGER NOT NULL, owner_boot TEXT, owner_pid INTEGER,
      PRIMARY KEY (customer_id, key))`);
    addOwnerColumns(db);
    return db;
  } catch (cause) {
    db?.close();
    throw new IdempotencyDatabaseUnavailable(filename, { cause });
  }
}

/** Files created before claims recorded their owner get the two columns (NULL: owner unknown). */
function addOwnerColumns(db: Database.Database): void {
  const columns = db.pragma('table_info(idempotency_keys)') as { name: string }[];
  if (columns.some((column) => column.name === 'owner_boot')) return;
  db.exec('ALTER TABLE idempotency_keys ADD COLUMN owner_boot TEXT');
  db.exec('ALTER TABLE idempotency_keys ADD COLUMN owner_pid INTEGER');
}
