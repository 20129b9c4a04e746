import Database from 'better-sqlite3';
import { ensureSubscriptionTables } from '../subscriptions/sqlite/subscriptions-schema';

/** File name of the operational database inside DATA_DIR. */
export const REACTORS_FILE = 'reactors.db';

/** The reactors file cannot be opened (missing folder, read-only, not a database). */
export class ReactorsDatabaseUnavailable extends Error {
  override readonly name = 'ReactorsDatabaseUnavailable';
  constructor(
    readonly filename: string,
    options: { cause: unknown },
  ) {
    super(
      `Reactors database ${filename} cannot be used: ${String((options.cause as Error)?.message)}`,
      options,
    );
  }
}

/**
 * Operational state that must NOT be derived from events and must survive a read-model rebuild: checkpoints
 * and leases of the subscription runtime when the store is SQLite (a reset reactor would re-dial every
 * historic call) and timer firings. Its own small file,
 * `<DATA_DIR>/reactors.db`, never the read-model database, which may be dropped and rebuilt at any time.
 *
 * `synchronous=NORMAL`: a power loss may forget the last few checkpoints or firings; they are then redone,
 * which at-least-once reactions and no-op-when-stale timer commands absorb.
 */
export class ReactorsDatabase {
  readonly connection: Database.Database;

  constructor(readonly filename: string) {
    try {
      this.connection = new Database(filename);
      this.connection.pragma('journal_mode = WAL');
      this.connection.pragma('synchronous = NORMAL');
      this.connection.pragma('busy_timeout = 5000');
      ensureSubscriptionTables(this.connection);
      migrateReactorCheckpoints(this.connection);
    } catch (cause) {
      throw new ReactorsDatabaseUnavailable(filename, { cause });
    }
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}

/** Round 1 kept reactor checkpoints in their own table: carry them over once, so no reactor replays history. */
function migrateReactorCheckpoints(connection: Database.Database): void {
  const legacy = connection
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reactor_checkpoints'")
    .get();
  if (!legacy) return;
  connection.transaction(() => {
    connection.exec(`
      INSERT OR IGNORE INTO subscription_checkpoints (consumer, position, fence, updated_at)
        SELECT name, position, NULL, updated_at FROM reactor_checkpoints;
      DROP TABLE reactor_checkpoints;
    `);
  })();
}
