import { closeSync, type FSWatcher, openSync, watch } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import type Database from 'better-sqlite3';
import { type Clock, systemClock } from '../../domain/clock';
import { WalCheckpointer } from '../../sqlite/wal-checkpointer';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store';
import { StoreUnavailable, StreamNotFound } from '../event-store.errors';
import { pagedRead } from '../paged-read';
import { type CommitObserver, GroupCommit, type GroupCommitStats } from './group-commit';
import { RecentEvents } from './recent-events';
import {
  openEventDatabase,
  type SynchronousMode,
  synchronousLevel,
  WAL_AUTOCHECKPOINT_PAGES,
} from './sqlite-schema';
import { MAX_INT64, SqliteStatements } from './sqlite-statements';
import { CommitNotifier, nextMacrotask, SqliteSubscription } from './sqlite-subscription';
import { type SyncFile, WalDurability } from './wal-durability';

export interface SqliteEventStoreOptions {
  /** A file path, or `:memory:` for tests. */
  filename: string;
  /**
   * `FULL` (default): a resolved append survives power loss (the WAL is fsynced off the event loop before
   * the append resolves, see `WalDurability`). `NORMAL` survives a process crash but may lose the last
   * commits on power loss; only for throwaway data.
   */
  synchronous?: SynchronousMode;
  /** Stamps `created` on commit. */
  clock?: Clock;
  /** The fsync of the WAL file (default `fs.fsync`); tests hold it to look at the store in between. */
  syncFile?: SyncFile;
  /**
   * Who copies the WAL back into the file: `worker` (default), a thread of its own off the event loop
   * (`WalCheckpointer`); `connection`, SQLite's auto-checkpoint inside the commit that crosses its threshold.
   */
  walCheckpoints?: 'worker' | 'connection';
}

/** Checkpoint after this many commits at most, and within this long after a quiet store's last one. */
const CHECKPOINT_EVERY_COMMITS = 500;
const CHECKPOINT_INTERVAL_MS = 1_000;

/** Rows fetched per query while iterating: bounded memory however long the stream or `$all` is. */
const READ_PAGE = 1000;

/**
 * The embedded event store: one SQLite file (WAL), one connection, appends funnelled through group commit.
 * Opening throws `StoreUnavailable` with a one-line reason when the file cannot be used.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements: SqliteStatements;
  private readonly groupCommit: GroupCommit;
  private readonly notifier = new CommitNotifier();
  private readonly recent = new RecentEvents();
  private readonly subscriptions = new Set<SqliteSubscription>();
  private readonly externalWrites?: FSWatcher;
  /** Null when there is nothing to fsync (`:memory:`) or nothing promised (`NORMAL`): reads are unbounded. */
  private readonly durability: WalDurability | null = null;
  private readonly walFd: number | null = null;
  private readonly checkpointer: WalCheckpointer | null = null;
  private closed = false;

  constructor(options: SqliteEventStoreOptions) {
    const synchronous = options.synchronous ?? 'FULL';
    this.db = openEventDatabase(options.filename, synchronous);
    this.statements = new SqliteStatements(this.db);
    if (synchronous === 'FULL' && options.filename !== ':memory:') {
      try {
        // WAL mode has created the file on open; it stays the same file (inode) for the connection's life.
        this.walFd = openSync(`${options.filename}-wal`, 'r');
      } catch (error) {
        this.db.close();
        throw new StoreUnavailable(
          `Event store ${options.filename} cannot open its WAL file: ${(error as Error).message}`,
          { cause: error },
        );
      }
      this.durability = new WalDurability(
        this.walFd,
        () => this.statements.head.get() ?? null,
        options.syncFile,
      );
    }
    if (options.filename !== ':memory:' && (options.walCheckpoints ?? 'worker') === 'worker') {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new WalCheckpointer(options.filename, {
        everyCommits: CHECKPOINT_EVERY_COMMITS,
        intervalMs: CHECKPOINT_INTERVAL_MS,
        onFailure: () => {
          if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
        },
      });
    }
    const durability = this.durability;
    const checkpointer = this.checkpointer;
    this.groupCommit = new GroupCommit(
      this.db,
      this.statements,
      options.clock ?? systemClock,
      (committed) => {
        this.recent.add(committed);
        this.notifier.notify();
        checkpointer?.committed();
      },
      durability ? (synced) => durability.afterCommit(synced) : undefined,
    );
    if (options.filename !== ':memory:')
      this.externalWrites = watchExternalWrites(options.filename, () => {
        // Another process's commits are readable once a sync has covered them (ours may sit below them).
        if (durability) durability.afterCommit(() => this.notifier.notify());
        else this.notifier.notify();
      });
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    return new SqliteEventStore(options);
  }

  /** How many transactions the group commit ran for how many appends (average batch = appends / transactions). */
  groupCommitStats(): GroupCommitStats {
    return this.groupCommit.stats();
  }

  /** The off-loop checkpoints so far; null when the connection checkpoints by itself (or `:memory:`). */
  walCheckpointStatus(): ReturnType<WalCheckpointer['status']> | null {
    return this.checkpointer?.status() ?? null;
  }

  /** Tells `observer` about every committed batch (metrics: batch sizes and fsync time). */
  observeCommits(observer: CommitObserver): void {
    this.groupCommit.observer = observer;
  }

  /** The synchronous level SQLite reports for this connection (2 = FULL). For tests and diagnostics. */
  synchronousLevel(): number {
    return synchronousLevel(this.db);
  }

  appendToStream(
    streamId: string,
    events: readonly EventData[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailable('Event store is closed'));
    if (events.length === 0) {
      return Promise.reject(new RangeError(`Append to ${streamId} needs at least one event`));
    }
    if (this.durability?.failed) return Promise.reject(this.durability.failed);
    return this.groupCommit.append(streamId, events, options.expectedRevision);
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    let from = resolveStart(options.fromRevision, forwards);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let first = true;
    while (remaining > 0) {
      this.assertOpen();
      const upTo = this.readableUpTo();
      const page = this.statements.streamPage(streamId, from, forwards, Math.min(READ_PAGE, remaining), upTo);
      if (first && page.length === 0 && !this.statements.hasStream(streamId, upTo))
        throw new StreamNotFound(streamId);
      first = false;
      for (const event of page) yield event;
      if (page.length < Math.min(READ_PAGE, remaining)) return;
      remaining -= page.length;
      from = page[page.length - 1].revision + (forwards ? 1n : -1n);
      await nextMacrotask();
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    let from = resolveStart(options.fromPosition, forwards);
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    // Reads run synchronously, one page at a time: `pagedRead` lets timers, I/O and appends in between
    // pages, or a long read would freeze the process. A read that ends with its page (the shared feed reads
    // one page at a time) returns at once, so a catch-up batch is not cut by a pause with nothing to let in.
    return pagedRead(() => {
      this.assertOpen();
      const limit = Math.min(READ_PAGE, remaining);
      const events = remaining > 0 ? this.statements.allPage(from, forwards, limit, this.readableUpTo()) : [];
      remaining -= events.length;
      const last = events.length < limit || remaining <= 0;
      if (!last) from = events[events.length - 1].position + (forwards ? 1n : -1n);
      return { events, last };
    }, nextMacrotask);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    if (this.closed) throw new StoreUnavailable('Event store is closed');
    const from = options.fromPosition ?? 'start';
    // Positions start at 1, so "after 0" is the very beginning.
    const after = from === 'start' ? 0n : from === 'end' ? (this.readableHead() ?? 0n) : from;
    const subscription = new SqliteSubscription(
      after,
      options.filter,
      (position, limit) =>
        this.recent.after(position, limit) ??
        this.statements.allPage(position + 1n, true, limit, this.readableUpTo()),
      this.notifier,
      (ended) => this.subscriptions.delete(ended),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    this.assertOpen();
    return this.readableHead();
  }

  /** Ends subscriptions, commits the appends already queued, then closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscription of [...this.subscriptions]) subscription.stop();
    this.externalWrites?.close();
    this.groupCommit.flush();
    await this.durability?.drained();
    await this.checkpointer?.close();
    if (this.walFd !== null) closeSync(this.walFd);
    this.db.close();
  }

  /** The last position readers may see: the last durable one (everything, without durability tracking). */
  private readableHead(): bigint | null {
    return this.durability ? this.durability.visible : (this.statements.head.get() ?? null);
  }

  private readableUpTo(): bigint {
    return this.durability ? (this.durability.visible ?? 0n) : MAX_INT64;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailable('Event store is closed');
  }
}

function resolveStart(from: bigint | 'start' | 'end' | undefined, forwards: boolean): bigint {
  if (from === undefined) return forwards ? 0n : MAX_INT64;
  if (from === 'start') return 0n;
  if (from === 'end') return MAX_INT64;
  return from;
}

/**
 * Another process (the CLI, an import) may append to the same file; its commits do not pass through this
 * process's group commit. Every commit grows the `-wal` file, so an inotify watch on it wakes subscribers
 * without a polling loop. Our own commits wake them twice, which costs one empty page query.
 */
function watchExternalWrites(filename: string, onWrite: () => void): FSWatcher | undefined {
  const walName = `${basename(filename)}-wal`;
  try {
    const watcher = watch(dirname(resolvePath(filename)), { persistent: false }, (_event, changed) => {
      if (changed === walName) onWrite();
    });
    // A watch that fails later (folder removed) only loses cross-process wake-ups, never events.
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}
