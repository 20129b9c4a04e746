import { type AllStreamSubscription, type EventStoreDBClient, START } from '@eventstore/db-client';
import { Logger } from '@nestjs/common';
import type { RecordedEvent, SubscribeToAllOptions, Subscription, SubscriptionFilter } from '../event-store';
import { StoreUnavailable } from '../event-store.errors';
import { isTransient, toPortError } from './esdb-errors';
import {
  matchesFilter,
  SEARCH_WINDOW,
  toClientPosition,
  toRecordedEvent,
  toServerFilter,
} from './esdb-mapping';
import { lastRecordPosition } from './esdb-reads';

/** How a dropped subscription is re-established. */
export interface ResubscribePolicy {
  /** First delay after a drop (jittered). Default 100 ms. */
  initialDelayMs: number;
  /**
   * Ceiling of the exponential growth. Default 1 s: read models wait on these subscriptions for
   * read-your-writes, so once the store answers again every second of backoff is a second of 503s.
   */
  maxDelayMs: number;
  /** Consecutive failures before the iterator throws `StoreUnavailable`. Default: never give up. */
  maxAttempts: number;
}

export const DEFAULT_RESUBSCRIBE: ResubscribePolicy = {
  initialDelayMs: 100,
  maxDelayMs: 1_000,
  maxAttempts: Number.POSITIVE_INFINITY,
};

const CLOSED = Symbol('closed');

/** Where the next (re)subscription starts: exclusive, like the server's own start position. */
type Resume = { kind: 'start' } | { kind: 'after'; position: bigint } | { kind: 'end-not-pinned' };

/**
 * A catch-up subscription to `$all` that survives drops. EventStoreDB ends a subscription when the server
 * restarts or the connection breaks; this one re-subscribes from the last event it handed to the consumer
 * (or deliberately skipped), so the consumer sees no gap (the new subscription starts right after it) and
 * no duplicate (the start position is exclusive).
 */
export class EsdbSubscription implements Subscription {
  private readonly logger = new Logger(EsdbSubscription.name);
  private readonly filter: SubscriptionFilter | undefined;
  private resume: Resume;
  private closed = false;
  private iterated = false;
  private current: AllStreamSubscription | null = null;
  private pinning: Promise<void> | null = null;
  /** The last checkpoint the server sent and not yet applied to `resume`. */
  private checkpoint: bigint | null = null;
  /** The source whose next event is awaited with an empty buffer (every earlier event handled). */
  private waitingOn: AllStreamSubscription | null = null;
  /** Settles the one wait in progress (next event or backoff) when the subscription is closed. */
  private readonly closeWaiters = new Set<() => void>();

  constructor(
    private readonly client: EventStoreDBClient,
    options: SubscribeToAllOptions,
    private readonly settings: { timeoutMs: number; resubscribe: ResubscribePolicy; onClose: () => void },
  ) {
    this.filter = options.filter;
    const from = options.fromPosition ?? 'start';
    this.resume =
      from === 'start'
        ? { kind: 'start' }
        : from === 'end'
          ? { kind: 'end-not-pinned' }
          : { kind: 'after', position: from };
    // "end" means "after what exists now", so pin it now rather than when iteration begins.
    if (this.resume.kind === 'end-not-pinned') void this.pinEnd().catch(() => undefined);
  }

  async unsubscribe(): Promise<void> {
    if (this.closed) return;
    this.close();
    await this.current?.unsubscribe().catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    if (this.iterated) throw new Error('A subscription can be iterated only once');
    this.iterated = true;
    let failures = 0;
    try {
      while (!this.closed) {
        const source = await this.open().catch((error: unknown) => error as Error);
        try {
          if (source instanceof Error) throw source;
          // Reset the backoff once the server has accepted the subscription again.
          source.once('confirmation', () => {
            failures = 0;
          });
          const iterator = source[Symbol.asyncIterator]();
          while (true) {
            this.applyCheckpoint(source);
            // Buffered events need no close-watch: only a wait on the network can outlast `unsubscribe()`.
            this.waitingOn = source.readableLength === 0 ? source : null;
            const next =
              this.waitingOn === null ? await iterator.next() : await this.unlessClosed(iterator.next());
            this.waitingOn = null;
            if (next === CLOSED) return;
            if (next.done) throw new StoreUnavailable('EventStoreDB ended the subscription');
            const event = next.value.event;
            if (!event) continue;
            const position = event.position.commit;
            if (matchesFilter(this.filter, event.streamId, event.type)) {
              const recorded = toRecordedEvent(event);
              this.resume = { kind: 'after', position };
              yield recorded;
              if (this.closed) return;
            } else {
              this.resume = { kind: 'after', position };
            }
          }
        } catch (error) {
          if (this.closed) return;
          if (!isTransient(error)) throw toPortError(error);
          failures += 1;
          if (failures > this.settings.resubscribe.maxAttempts) {
            throw new StoreUnavailable(`Subscription to $all lost after ${failures - 1} retries`, {
              cause: error,
            });
          }
          const delay = backoffDelay(failures, this.settings.resubscribe);
          this.logger.warn(`Subscription to $all dropped (${String(error)}); re-subscribing in ${delay} ms`);
          await this.sleepUnlessClosed(delay);
        } finally {
          if (!(source instanceof Error)) this.release(source);
        }
      }
    } finally {
      this.close();
    }
  }

  private async open(): Promise<AllStreamSubscription> {
    if (this.resume.kind === 'end-not-pinned') await this.pinEnd();
    const resume = this.resume;
    const fromPosition = resume.kind === 'after' ? toClientPosition(resume.position) : START;
    // A late checkpoint of a source already given up on says nothing about the new one.
    const filter = toServerFilter(this.filter, (position) => {
      if (this.current === source) this.onCheckpoint(position);
    });
    const source: AllStreamSubscription = this.client.subscribeToAll(
      { fromPosition, filter },
      { highWaterMark: SEARCH_WINDOW },
    );
    // Errors are consumed through the iterator; a late one after release must not crash the process.
    source.on('error', () => undefined);
    this.current = source;
    return source;
  }

  private onCheckpoint(position: bigint): void {
    this.checkpoint = position;
    if (this.waitingOn) this.applyCheckpoint(this.waitingOn);
  }

  /**
   * A checkpoint says the server searched up to `position`: every matching event before it was sent
   * ahead of it. Once those have all been handled (nothing buffered, no event in hand), a re-subscription
   * may start after the checkpoint rather than re-search what the filter skipped since the last match.
   */
  private applyCheckpoint(source: AllStreamSubscription): void {
    const position = this.checkpoint;
    if (position === null || source.readableLength > 0) return;
    this.checkpoint = null;
    if (this.resume.kind === 'after' && this.resume.position >= position) return;
    if (this.resume.kind === 'end-not-pinned') return;
    this.resume = { kind: 'after', position };
  }

  /**
   * Fixes "end" to the current last record. If the server is unreachable the pin is retried later, which
   * loses nothing: no one can append while the server is unreachable.
   */
  private pinEnd(): Promise<void> {
    this.pinning ??= lastRecordPosition(this.client, this.settings.timeoutMs).then(
      (last) => {
        this.resume = last === null ? { kind: 'start' } : { kind: 'after', position: last };
      },
      (error: unknown) => {
        this.pinning = null;
        throw error;
      },
    );
    return this.pinning;
  }

  private async sleepUnlessClosed(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await this.unlessClosed(new Promise((resolve) => (timer = setTimeout(resolve, ms))));
    clearTimeout(timer);
  }

  /**
   * The value of `promise`, or CLOSED as soon as the subscription closes. Not `Promise.race` with one
   * long-lived "closed" promise: every race would leave a reaction on it for the subscription's lifetime.
   */
  private unlessClosed<T>(promise: Promise<T>): Promise<T | typeof CLOSED> {
    if (this.closed) return Promise.resolve(CLOSED);
    return new Promise<T | typeof CLOSED>((resolve, reject) => {
      const onClose = () => resolve(CLOSED);
      this.closeWaiters.add(onClose);
      promise.then(resolve, reject).finally(() => this.closeWaiters.delete(onClose));
    });
  }

  private release(source: AllStreamSubscription): void {
    if (this.current === source) this.current = null;
    this.checkpoint = null;
    source.unsubscribe().catch(() => undefined);
    source.destroy();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.closeWaiters) wake();
    this.settings.onClose();
  }
}

/**
 * Exponential so that a server that is down is not hammered; capped so that recovery after a long outage
 * is still quick; jittered (half fixed, half random) because a server restart drops every subscriber at
 * the same moment, and without jitter they would all come back in lockstep, on every retry.
 */
export function backoffDelay(attempt: number, policy: ResubscribePolicy, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
