import type Database from 'better-sqlite3';
import { type Clock, systemClock } from '../../domain/clock';
import { decideCheckpointSave } from '../checkpoint-rules';
import type { CheckpointStore, SaveCheckpointOptions } from '../checkpoint-store';
import { ensureSubscriptionTables } from './subscriptions-schema';

interface CheckpointRow {
  position: bigint;
  fence: bigint | null;
}

/**
 * Checkpoints in a SQLite file (`reactors.db`), correct across processes sharing the file: each save reads
 * and writes inside one `BEGIN IMMEDIATE` transaction, which takes the write lock before reading, so the
 * fence and position it compares against cannot change before it writes. (A deferred transaction would
 * read a snapshot and fail with SQLITE_BUSY_SNAPSHOT on the write, without waiting.)
 *
 * Calls are synchronous underneath: a save waits up to the connection's busy_timeout (at least 5 s) while
 * another process writes, blocking this process's event loop meanwhile; writes are tiny, so that wait is
 * short unless another process holds a long transaction on the file.
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly select: Database.Statement<[string], CheckpointRow>;
  private readonly upsert: Database.Statement<[string, bigint, bigint | null, string]>;
  private readonly saveAtomically: (
    consumer: string,
    position: bigint,
    options: SaveCheckpointOptions,
  ) => void;

  constructor(
    connection: Database.Database,
    /** For `updated_at` when a save gives no `at`. */
    private readonly clock: Clock = systemClock,
  ) {
    ensureSubscriptionTables(connection);
    this.select = connection
      .prepare<[string], CheckpointRow>(
        'SELECT position, fence FROM subscription_checkpoints WHERE consumer = ?',
      )
      .safeIntegers(true);
    this.upsert = connection.prepare(
      `INSERT INTO subscription_checkpoints (consumer, position, fence, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (consumer) DO UPDATE
         SET position = excluded.position, fence = excluded.fence, updated_at = excluded.updated_at`,
    );
    const save = connection.transaction(
      (consumer: string, position: bigint, options: SaveCheckpointOptions) => {
        const next = decideCheckpointSave(
          consumer,
          this.select.get(consumer) ?? null,
          position,
          options.fence,
        );
        if (next === null) return;
        this.upsert.run(consumer, next.position, next.fence, (options.at ?? this.clock.now()).toISOString());
      },
    );
    this.saveAtomically = (consumer, position, options) => save.immediate(consumer, position, options);
  }

  async load(consumer: string): Promise<bigint | null> {
    return this.select.get(consumer)?.position ?? null;
  }

  async save(consumer: string, position: bigint, options: SaveCheckpointOptions = {}): Promise<void> {
    this.saveAtomically(consumer, position, options);
  }
}
