import { fsync } from 'node:fs';
import { StoreUnavailable } from '../event-store.errors';

/** `fs.fsync`'s shape: injectable so a test can hold a sync and look at the store in between. */
export type SyncFile = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void;

/** Told when what was committed is on disk, or why it could not be made so. */
export type Synced = (error: StoreUnavailable | null) => void;

/**
 * Makes commits durable without holding the event loop: the connection commits with
 * `synchronous=NORMAL` (the commit writes the WAL, no fsync) and this fsyncs the WAL file in libuv's
 * thread pool; an append resolves only after the fsync that covers it returned, so a resolved append
 * survives power loss exactly as with `synchronous=FULL`. Under FULL every commit blocked the one JS
 * thread for its fsync (0.3 ms quiet, 4–100 ms on a busy disk), and every request, timer and SSE write
 * waited behind it.
 *
 * Rounds: one fsync at a time; commits that land while it runs wait for the next one, which covers them
 * all (the WAL is one file, written in order), so a busy store pays one fsync per round, not per commit.
 *
 * Visibility follows durability: `visible` is the last position known to be on disk, and the store reads
 * nothing past it. A reader (a subscription, a webhook, the feed) therefore never acts on an event that a
 * power loss could still take back, as under FULL, where a commit and its fsync were one step.
 *
 * A failed fsync leaves the state of the file unknown (the kernel may have dropped the dirty pages), so it
 * is final: the appends waiting for it and every later one fail with `StoreUnavailable`, and `visible`
 * stays where it was. A restart reads the file as it really is.
 */
export class WalDurability {
  private visibleHead: bigint | null;
  private syncing = false;
  private waiting: Synced[] = [];
  private failure: StoreUnavailable | null = null;
  private idle: (() => void)[] = [];

  constructor(
    private readonly fd: number,
    /** The last position committed now (this process's commits and other processes' alike). */
    private readonly committedHead: () => bigint | null,
    private readonly syncFile: SyncFile = fsync,
  ) {
    // What the file holds at open is what a restart would read: durable by definition.
    this.visibleHead = committedHead();
  }

  /** The last position on disk: reads stop there. */
  get visible(): bigint | null {
    return this.visibleHead;
  }

  /** Set once an fsync failed: nothing more can be promised durable. */
  get failed(): StoreUnavailable | null {
    return this.failure;
  }

  /** Calls `synced` once everything committed before this call is on disk. */
  afterCommit(synced: Synced): void {
    if (this.failure) {
      synced(this.failure);
      return;
    }
    this.waiting.push(synced);
    if (!this.syncing) this.round();
  }

  /** Resolves when no fsync is running or waiting (close). */
  drained(): Promise<void> {
    if (!this.syncing && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private round(): void {
    const batch = this.waiting;
    this.waiting = [];
    const upTo = this.committedHead();
    if (upTo === this.visibleHead) {
      // Nothing new on the file (a batch of refusals only, or the inotify echo of our own commit): no fsync.
      for (const synced of batch) synced(null);
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    this.syncing = true;
    this.syncFile(this.fd, (error) => {
      this.syncing = false;
      if (error) {
        this.failure = new StoreUnavailable(
          `Event store could not make its commits durable (fsync: ${error.message}); restart the process`,
          { cause: error },
        );
        const failed = [...batch, ...this.waiting];
        this.waiting = [];
        for (const synced of failed) synced(this.failure);
      } else {
        if (upTo !== null && (this.visibleHead === null || upTo > this.visibleHead)) this.visibleHead = upTo;
        for (const synced of batch) synced(null);
      }
      if (this.waiting.length > 0) this.round();
      else for (const resolve of this.idle.splice(0)) resolve();
    });
  }
}
