import type Database from 'better-sqlite3';
import type { ReactorsDatabase } from '../reactors/reactors-database';

/** One firing of a timer: a (stream, kind) at one due time. A moved due time is a new key. */
export interface TimerKey {
  streamId: string;
  kind: string;
  dueAt: string;
}

/**
 * Which timers have fired, in the operational file (`reactors.db`), NOT in the timers projection: a
 * rebuilt read model must not fire every historic timer again. Recorded after the timer's command went
 * through, so a crash in between fires it once more after restart — harmless, because the deciders treat
 * a firing whose due time has passed or moved as a no-op.
 */
export class TimerFirings {
  private readonly db: Database.Database;
  private readonly exists: Database.Statement<[string, string, string], { one: number }>;
  private readonly insert: Database.Statement<[string, string, string, number, string]>;
  private readonly prune: Database.Statement<[number]>;

  constructor(database: ReactorsDatabase) {
    this.db = database.connection;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS timer_firings (
        stream_id TEXT    NOT NULL,
        kind      TEXT    NOT NULL,
        due_at    TEXT    NOT NULL,
        due_ms    INTEGER NOT NULL,
        fired_at  TEXT    NOT NULL,
        PRIMARY KEY (stream_id, kind, due_at)
      );
      CREATE INDEX IF NOT EXISTS timer_firings_by_due ON timer_firings (due_ms);
    `);
    this.exists = this.db.prepare(
      'SELECT 1 AS one FROM timer_firings WHERE stream_id = ? AND kind = ? AND due_at = ?',
    );
    this.insert = this.db.prepare(
      `INSERT OR IGNORE INTO timer_firings (stream_id, kind, due_at, due_ms, fired_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.prune = this.db.prepare('DELETE FROM timer_firings WHERE due_ms < ?');
  }

  hasFired(key: TimerKey): boolean {
    return this.exists.get(key.streamId, key.kind, key.dueAt) !== undefined;
  }

  record(key: TimerKey, at: Date): void {
    this.insert.run(key.streamId, key.kind, key.dueAt, Date.parse(key.dueAt), at.toISOString());
  }

  /**
   * Forgets firings due before `before`. By then their command has long changed the state and the
   * projection has dropped the timer; if one were still listed, firing it again would be a no-op.
   */
  pruneBefore(before: Date): number {
    return this.prune.run(before.getTime()).changes;
  }
}
