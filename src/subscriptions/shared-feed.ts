import { Logger, type LoggerService } from '@nestjs/common';
import type {
  EventStore,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
  SubscriptionFilter,
} from '../event-store/event-store';
import { compileFilter } from '../event-store/subscription-filter';
import { type BackoffOptions, backoffDelay, InterruptibleSleep } from '../reactors/backoff';

/** What consumers subscribe through: the store itself, or the shared feed in front of it. */
export interface SubscriptionSource {
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
}

export interface SharedFeedOptions {
  /** Events kept in memory behind the live head, so a consumer that just caught up joins without a re-read. */
  recentEvents?: number;
  /** Page size of a consumer's own catch-up reads. */
  pageSize?: number;
  /** Full catch-up pages kept for other consumers reading the same history (0: each reads its own). */
  sharedPages?: number;
  /**
   * Events queued for one live consumer before it is detached (it then catches up on its own reads from
   * where it was and joins again): a slow consumer never holds memory for the others.
   */
  maxQueue?: number;
  /** Reconnect delays of the one store subscription; capped at 1 s so a store that is back is used at once. */
  backoff?: BackoffOptions;
  logger?: LoggerService;
}

export interface SharedFeedStatus {
  /** Position of the last event the shared subscription delivered; null before the first. */
  position: bigint | null;
  live: number;
  catchingUp: number;
  /** Catch-up pages held for consumers that have not read them yet. */
  heldPages: number;
  /** Consecutive failures of the shared subscription; 0 when connected. */
  failures: number;
}

/** A catch-up page shared by consumers reading the same history, and how many of them are yet to take it. */
interface SharedPage {
  readonly read: Promise<RecordedEvent[]>;
  readers: number;
}

const DEFAULTS = { recentEvents: 4096, pageSize: 1000, sharedPages: 16, maxQueue: 10_000 };
export const FEED_BACKOFF: BackoffOptions = { initialMs: 50, maxMs: 1_000 };

/**
 * One `$all` subscription per process, shared by every consumer at the live head (read models, reactors,
 * timers, and the event feed). A consumer behind the head catches up with its own `readAll` pages, then joins
 * the shared subscription without gap or duplicate; one that falls too far behind while live is detached and
 * catches up again on its own, so the shared subscription never waits for anybody.
 *
 * Why it is gap-free: everything below runs on one JS thread, and a join is one synchronous step: the
 * consumer's last position is compared with the range of `recent` events, the missing ones are queued, and the
 * consumer is registered for the next pushes, before any other event can arrive.
 */
export class SharedAllFeed implements SubscriptionSource {
  private readonly logger: LoggerService;
  private readonly options: Required<Omit<SharedFeedOptions, 'logger'>>;
  private readonly live = new Set<FeedSubscription>();
  private readonly catchingUp = new Set<FeedSubscription>();
  private readonly sleeper = new InterruptibleSleep();
  /** The last `recentEvents` events delivered, oldest first. */
  private recent: RecordedEvent[] = [];
  /** Every event after this position (exclusive) is either in `recent` or not delivered yet. */
  private recentFrom: bigint | null = null;
  private head: bigint | null = null;
  private started: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  private loop: Promise<void> = Promise.resolve();
  private stopped = false;
  private failures = 0;
  private readonly joinWaiters = new Set<() => void>();
  /** Catch-up pages by `from` (full pages only: their content can no longer change), oldest first. */
  private readonly pages = new Map<string, SharedPage>();

  constructor(
    readonly store: EventStore,
    options: SharedFeedOptions = {},
  ) {
    this.logger = options.logger ?? new Logger(SharedAllFeed.name);
    this.options = {
      recentEvents: options.recentEvents ?? DEFAULTS.recentEvents,
      pageSize: options.pageSize ?? DEFAULTS.pageSize,
      sharedPages: options.sharedPages ?? DEFAULTS.sharedPages,
      maxQueue: options.maxQueue ?? DEFAULTS.maxQueue,
      backoff: options.backoff ?? FEED_BACKOFF,
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    void this.ensureStarted();
    return new FeedSubscription(this, options.fromPosition ?? 'start', options.filter);
  }

  status(): SharedFeedStatus {
    return {
      position: this.head,
      live: this.live.size,
      catchingUp: this.catchingUp.size,
      heldPages: this.pages.size,
      failures: this.failures,
    };
  }

  /** Ends the shared subscription and every consumer's iteration. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.wake();
    for (const consumer of [...this.live, ...this.catchingUp]) consumer.end();
    for (const wake of this.joinWaiters) wake();
    await this.subscription?.unsubscribe().catch(() => undefined);
    await this.loop;
  }

  get pageSize(): number {
    return this.options.pageSize;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** @internal A consumer reading history on its own. */
  trackCatchUp(consumer: FeedSubscription, tracking: boolean): void {
    if (tracking) this.catchingUp.add(consumer);
    else this.catchingUp.delete(consumer);
    if (this.catchingUp.size === 0) this.pages.clear();
  }

  /**
   * @internal Joins the live feed when no event after `after` can be missed; returns false when the consumer
   * must read further on its own first (the events after it have already left `recent`).
   */
  tryJoin(consumer: FeedSubscription, after: bigint | null): boolean {
    if (this.stopped || this.recentFrom === null) return false;
    const from = after ?? -1n;
    if (from < this.recentFrom) return false;
    for (const event of this.recent) if (event.position > from) consumer.push(event);
    this.live.add(consumer);
    this.catchingUp.delete(consumer);
    if (this.catchingUp.size === 0) this.pages.clear();
    return true;
  }

  /** @internal */
  leave(consumer: FeedSubscription): void {
    this.live.delete(consumer);
    this.catchingUp.delete(consumer);
    if (this.catchingUp.size === 0) this.pages.clear();
  }

  /**
   * @internal One page of `$all` from `from` (inclusive) for a consumer catching up. Consumers that start
   * from the same point (every read model of a fresh instance) read the same sequence of pages, so a page
   * is read and decoded once and handed to each of them (events are never mutated by consumers; the live
   * path already shares them). Only full pages are kept: a short one ends at the head and would go stale.
   */
  readPage(from: bigint | 'start'): Promise<RecordedEvent[]> {
    const key = String(from);
    const shared = this.pages.get(key);
    if (shared) {
      if (--shared.readers <= 0) this.pages.delete(key);
      return shared.read;
    }
    const size = this.options.pageSize;
    const read = (async () => {
      const page: RecordedEvent[] = [];
      for await (const event of this.store.readAll({ fromPosition: from, maxCount: size })) page.push(event);
      return page;
    })();
    // Kept only for the other consumers catching up now, and let go once each has taken it: a page held
    // longer outlives a few young-generation collections and is copied by each (measured: a rebuild spent
    // a quarter of its time in GC while 16 pages stayed behind the last reader).
    const readers = this.catchingUp.size - 1;
    if (this.options.sharedPages === 0 || readers <= 0) return read;
    const page: SharedPage = { read, readers };
    this.pages.set(key, page);
    if (this.pages.size > this.options.sharedPages)
      this.pages.delete(this.pages.keys().next().value as string);
    read.then(
      (events) => {
        if (events.length < size && this.pages.get(key) === page) this.pages.delete(key);
      },
      () => {
        if (this.pages.get(key) === page) this.pages.delete(key);
      },
    );
    return read;
  }

  /** @internal Resolves once the shared subscription has a position to join at (or the feed stops). */
  whenJoinable(): Promise<void> {
    if (this.recentFrom !== null || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.joinWaiters.delete(done);
        resolve();
      };
      this.joinWaiters.add(done);
    });
  }

  /** @internal */
  warn(message: string): void {
    this.logger.warn(`shared feed: ${message}`);
  }

  /** @internal The capped, jittered pause after `attempt` failures. */
  backoffDelay(attempt: number): number {
    return backoffDelay(attempt, this.options.backoff);
  }

  /** @internal The maximum a live consumer may have queued. */
  get maxQueue(): number {
    return this.options.maxQueue;
  }

  private ensureStarted(): Promise<void> {
    if (!this.started) this.started = this.start();
    return this.started;
  }

  private async start(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        this.head = await this.store.headPosition();
        break;
      } catch (error) {
        this.failures = attempt;
        this.logger.warn(`shared feed: head unknown (${(error as Error).message}); retrying`);
        await this.sleeper.sleep(backoffDelay(attempt, this.options.backoff));
      }
    }
    // Nothing delivered yet: every event after the head at start is still to come, so joining is safe
    // for a consumer that has read up to the head.
    this.recentFrom = this.head ?? -1n;
    for (const wake of [...this.joinWaiters]) wake();
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const subscription = this.store.subscribeToAll({ fromPosition: this.head ?? 'start' });
        this.subscription = subscription;
        for await (const event of subscription) {
          this.failures = 0;
          this.deliver(event);
        }
        if (this.stopped) return;
      } catch (error) {
        if (this.stopped) return;
        this.failures++;
        this.logger.warn(`shared feed: subscription failed (${(error as Error).message}); reconnecting`);
      }
      await this.sleeper.sleep(backoffDelay(Math.max(1, this.failures), this.options.backoff));
    }
  }

  private deliver(event: RecordedEvent): void {
    this.head = event.position;
    this.recent.push(event);
    if (this.recent.length > this.options.recentEvents) {
      // Drop in chunks: shifting one at a time would copy the array on every event.
      const drop = this.recent.length - this.options.recentEvents + (this.options.recentEvents >> 3);
      this.recentFrom = this.recent[drop - 1].position;
      this.recent = this.recent.slice(drop);
    }
    for (const consumer of this.live) consumer.push(event);
  }
}

type Pending = (result: IteratorResult<RecordedEvent>) => void;

/**
 * One consumer's view: its own catch-up reads, then the shared pushes. `last` is the last position it SAW
 * (delivered or filtered out), so a detach or a resume never re-reads what the filter dropped.
 */
class FeedSubscription implements Subscription {
  private last: bigint | null = null;
  private queue: RecordedEvent[] = [];
  /** The catch-up page being delivered (already filtered) and the next index in it. */
  private page: RecordedEvent[] = [];
  private pageAt = 0;
  private pending: Pending | null = null;
  private ended = false;
  private iterating = false;
  private detached = false;
  private readonly keep: (event: RecordedEvent) => boolean;
  private readonly resolvedStart: Promise<void>;
  /** Ends this consumer's own waits (for the feed to start, between failed reads) when it unsubscribes. */
  private readonly sleeper = new InterruptibleSleep();
  private readonly ending: Promise<void>;
  private endNow: () => void = () => undefined;

  constructor(
    private readonly feed: SharedAllFeed,
    from: bigint | 'start' | 'end',
    filter: SubscriptionFilter | undefined,
  ) {
    this.keep = compileFilter(filter);
    this.ending = new Promise((resolve) => {
      this.endNow = resolve;
    });
    this.resolvedStart =
      from === 'end'
        ? feed.store.headPosition().then((head) => {
            this.last = head;
          })
        : Promise.resolve().then(() => {
            this.last = from === 'start' ? null : from;
          });
  }

  async unsubscribe(): Promise<void> {
    this.end();
  }

  /** @internal Ends iteration: a pending `next()` returns done. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this.page = [];
    this.feed.leave(this);
    this.endNow();
    this.sleeper.wake();
    const pending = this.pending;
    this.pending = null;
    pending?.({ done: true, value: undefined });
  }

  /** @internal From the shared subscription. */
  push(event: RecordedEvent): void {
    if (this.ended || this.detached) return;
    if (this.last !== null && event.position <= this.last) return;
    this.last = event.position;
    if (!this.keep(event)) return;
    if (this.pending) {
      const pending = this.pending;
      this.pending = null;
      pending({ done: false, value: event });
      return;
    }
    this.queue.push(event);
    if (this.queue.length > this.feed.maxQueue) this.detach();
  }

  /**
   * What `next()` would return without awaiting: the rest of the catch-up page, or once live the queued
   * pushes. While a catch-up is running the queue is not reached (next() would await its next page first).
   */
  takeAvailable(max: number): RecordedEvent[] {
    if (this.ended || max <= 0) return [];
    if (this.pageAt < this.page.length) {
      const end = Math.min(this.page.length, this.pageAt + max);
      const taken = this.page.slice(this.pageAt, end);
      this.pageAt = end;
      return taken;
    }
    if (this.catchUp || !this.started || this.queue.length === 0) return [];
    return this.queue.splice(0, max);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterating) throw new Error('A subscription can be iterated only once');
    this.iterating = true;
    return {
      next: () => this.next(),
      return: async () => {
        this.end();
        return { done: true, value: undefined };
      },
    };
  }

  private catchUp: AsyncGenerator<RecordedEvent[]> | null = null;
  private started = false;

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    // The rest of a catch-up page, awaiting nothing: an event costs one promise (this call's), not one per
    // layer of async generators; each promise also runs the async hooks of the process's context tracking.
    if (this.pageAt < this.page.length) return { done: false, value: this.page[this.pageAt++] };
    if (!this.started) {
      this.started = true;
      await this.resolvedStart;
      this.catchUp = this.readHistory();
    }
    while (!this.ended && !this.feed.isStopped) {
      if (this.catchUp) {
        const step = await this.catchUp.next();
        if (step.done) {
          this.catchUp = null;
          continue;
        }
        if (this.ended) break;
        this.page = step.value;
        this.pageAt = 1;
        return { done: false, value: this.page[0] };
      }
      const queued = this.queue.shift();
      if (queued) return { done: false, value: queued };
      if (this.detached) {
        // Fell too far behind while live: read on our own from what we saw, then join again.
        this.detached = false;
        this.catchUp = this.readHistory();
        continue;
      }
      return new Promise<IteratorResult<RecordedEvent>>((resolve) => {
        this.pending = resolve;
      });
    }
    return { done: true, value: undefined };
  }

  /**
   * Reads `$all` after `last` in pages until the shared subscription can take over; yields each page's
   * events that pass the filter (never an empty page). It resumes only once the consumer has taken the
   * whole page, so `last` (the page's end) is what it saw when it joins or reads on.
   */
  private async *readHistory(): AsyncGenerator<RecordedEvent[]> {
    this.feed.trackCatchUp(this, true);
    while (!this.ended && !this.feed.isStopped) {
      // An engine stopping waits for this consumer: never wait for the feed past our own end.
      await Promise.race([this.feed.whenJoinable(), this.ending]);
      if (this.ended) return;
      // Synchronous with the check above: no event can slip in between.
      if (this.feed.tryJoin(this, this.last)) return;
      const from = this.last === null ? 'start' : this.last;
      try {
        const page = await this.feed.readPage(from);
        const kept: RecordedEvent[] = [];
        for (const event of page) {
          // readAll is inclusive: the first event may be the one we saw last.
          if (this.last !== null && event.position <= this.last) continue;
          this.last = event.position;
          if (this.keep(event)) kept.push(event);
        }
        this.failures = 0;
        if (kept.length > 0) yield kept;
        if (this.ended) return;
        // A page may come from memory: yield to the event loop between pages so a long catch-up neither
        // freezes the process nor runs one consumer far ahead of the others sharing its pages.
        await new Promise((resolve) => setImmediate(resolve));
      } catch (error) {
        // The store is down: a consumer waits for it rather than failing (a read model would stop for good),
        // retrying at most a second apart so it resumes as soon as the store is back.
        this.failures++;
        if (this.failures === 1) this.feed.warn(`catch-up read failed: ${(error as Error).message}`);
        await this.sleeper.sleep(this.feed.backoffDelay(this.failures));
      }
    }
  }

  private failures = 0;

  private detach(): void {
    this.detached = true;
    this.feed.leave(this);
    // What is queued stays queued: it is delivered first, then the catch-up continues after `last`.
    // `last` already covers the queue, so nothing is read twice.
  }
}
