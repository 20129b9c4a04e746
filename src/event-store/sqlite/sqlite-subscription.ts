import type { RecordedEvent, Subscription, SubscriptionFilter } from '../event-store';

/**
 * Wakes waiting subscriptions when a group commit lands. No timer: an idle subscription costs nothing.
 * Waiters are plain resolvers (not a shared promise raced against a stop signal) so a long-lived
 * subscription does not accumulate promise reactions.
 */
export class CommitNotifier {
  private waiters = new Set<() => void>();

  /** Resolves on the next commit, or when `cancel` (returned through `onCancel`) is called. */
  wait(onCancel: (cancel: () => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiters.add(resolve);
      onCancel(() => {
        this.waiters.delete(resolve);
        resolve();
      });
    });
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }
}

export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Reads one page of `$all` strictly after `after` (system events excluded), in position order. */
export type PageReader = (after: bigint, limit: number) => RecordedEvent[];

const PAGE_SIZE = 1000;

/**
 * Catch-up then live, over the one table: read pages after the last position seen until a page comes back
 * empty, then sleep until the next commit. The "is there more?" query and the registration of the waiter
 * run in the same synchronous step, and commits only happen in other macrotasks, so no wake-up is lost;
 * the cursor is the last position *read* (not delivered), so filtered-out events are never re-read.
 */
export class SqliteSubscription implements Subscription {
  private stopped = false;
  private cancelWait: (() => void) | null = null;
  private started = false;

  constructor(
    private after: bigint,
    private readonly filter: SubscriptionFilter | undefined,
    private readonly readPage: PageReader,
    private readonly notifier: CommitNotifier,
    private readonly onEnd: (subscription: SqliteSubscription) => void,
  ) {}

  async unsubscribe(): Promise<void> {
    this.stop();
  }

  /** Ends iteration: the consumer's pending `next()` returns done. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelWait?.();
    this.onEnd(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('A subscription can be iterated only once');
    this.started = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<RecordedEvent> {
    const keep = compileFilter(this.filter);
    try {
      while (!this.stopped) {
        const page = this.readPage(this.after, PAGE_SIZE);
        if (page.length === 0) {
          await this.notifier.wait((cancel) => {
            this.cancelWait = cancel;
          });
          this.cancelWait = null;
          continue;
        }
        for (const event of page) {
          if (this.stopped) return;
          this.after = event.position;
          if (keep(event)) yield event;
        }
        // A catch-up over millions of events would otherwise run in microtasks only and starve the process.
        if (page.length === PAGE_SIZE) await nextMacrotask();
      }
    } finally {
      // Reached on unsubscribe, on the consumer's `break` and on errors alike.
      this.stop();
    }
  }
}

function compileFilter(filter: SubscriptionFilter | undefined): (event: RecordedEvent) => boolean {
  const prefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : null;
  const types = filter?.eventTypes?.length ? new Set(filter.eventTypes) : null;
  return (event) =>
    (prefixes === null || prefixes.some((prefix) => event.streamId.startsWith(prefix))) &&
    (types === null || types.has(event.type));
}
