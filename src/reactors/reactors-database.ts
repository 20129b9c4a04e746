import Database from 'better-sqlite3';
import type { CheckpointStore, SaveCheckpointOptions } from '../subscriptions/checkpoint-store';

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
 * Operational state that must NOT be derived from events and must survive a read-model rebuild: reactor
 * checkpoints (a reset reactor would re-dial every historic call) and timer firings. Its own small file,
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
      this.connection.exec(`
        CREATE TABLE IF NOT EXISTS reactor_checkpoints (
          name       TEXT PRIMARY KEY,
          position   INTEGER NOT NULL, -- global position of the last event fully reacted to
          updated_at TEXT    NOT NULL
        );
      `);
    } catch (cause) {
      throw new ReactorsDatabaseUnavailable(filename, { cause });
    }
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}

/** Checkpoints per reactor name, read with safe integers so positions beyond 2^53 survive. */
export class ReactorCheckpoints implements CheckpointStore {
  private readonly select: Database.Statement<[string], { position: bigint }>;
  private readonly upsert: Database.Statement<[string, bigint, string]>;

  constructor(db: ReactorsDatabase) {
    this.select = db.connection
      .prepare<[string], { position: bigint }>('SELECT position FROM reactor_checkpoints WHERE name = ?')
      .safeIntegers(true);
    this.upsert = db.connection.prepare(
      `INSERT INTO reactor_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
  }

  async load(name: string): Promise<bigint | null> {
    return this.select.get(name)?.position ?? null;
  }

  async save(name: string, position: bigint, options: SaveCheckpointOptions = {}): Promise<void> {
    this.upsert.run(name, position, (options.at ?? new Date()).toISOString());
  }
}
