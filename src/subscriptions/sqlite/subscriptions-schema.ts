import type Database from 'better-sqlite3';

/**
 * Tables of the SQLite checkpoint and lease adapters. They live in the connection the runtime hands over
 * (`<DATA_DIR>/reactors.db`: operational state that a read-model rebuild must not drop), next to, and
 * distinct from, the tables other components keep there.
 */
export function ensureSubscriptionTables(connection: Database.Database): void {
  // Several processes may share the file (two servers on one data folder): a writer that finds the file
  // locked waits this long instead of failing at once. better-sqlite3 already defaults to 5 s; keep any
  // longer wait the owner of the connection chose.
  if (Number(connection.pragma('busy_timeout', { simple: true })) < BUSY_TIMEOUT_MS) {
    connection.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
  connection.exec(`
    CREATE TABLE IF NOT EXISTS subscription_checkpoints (
      consumer   TEXT PRIMARY KEY,
      position   INTEGER NOT NULL, -- $all position of the last event whose work is done
      fence      INTEGER,          -- newest lease token that ever saved it; NULL while only unfenced saves
      updated_at TEXT    NOT NULL
    );
    CREATE TABLE IF NOT EXISTS subscription_leases (
      name          TEXT PRIMARY KEY,
      holder        TEXT,             -- NULL once released: free, but the token is remembered
      token         INTEGER NOT NULL, -- grows with every change of holder, never reused
      expires_at_ms INTEGER NOT NULL  -- epoch ms, judged against the caller's clock
    );
  `);
}

const BUSY_TIMEOUT_MS = 5_000;
