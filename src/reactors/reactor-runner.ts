import type { LoggerService } from '@nestjs/common';
import type { Clock } from '../domain/clock';
import { DomainError } from '../domain/domain-error';
import type { RecordedEvent, Subscription } from '../event-store/event-store';
import { entityIdsOf, type LogFields, withLogContext } from '../observability/log-context';
import { type CheckpointStore, FencedOut } from '../subscriptions/checkpoint-store';
import { isRuntimeStream } from '../subscriptions/runtime-streams';
import type { SubscriptionSource } from '../subscriptions/shared-feed';
import { type BackoffOptions, backoffDelay, InterruptibleSleep } from './backoff';
import type { Reactor } from './reactor';
import { ReadyBatches } from './ready-batches';

/** Events per `reactBatch` call when the reactor does not say. */
const DEFAULT_MAX_BATCH = 500;

/**
 * `running`: reacting (or waiting for events); `retrying`: a reaction or the subscription failed and is
 * retried after a backoff (see `lastError`); `stopped`: not started or stopped.
 */
export type ReactorState = 'running' | 'retrying' | 'stopped';

export interface ReactorFailure {
  readonly message: string;
  /** The event whose reaction failed; null when the subscription itself failed. */
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly position: bigint | null;
  /** Consecutive failures so far. */
  readonly attempts: number;
  readonly at: Date;
}

export interface ReactorStatus {
  name: string;
  /** Position of the last event reacted to (or given up on); null when none yet. */
  checkpoint: bigint | null;
  state: ReactorState;
  /** The last failure; kept after recovery until the next event succeeds, for diagnosis. */
  lastError: ReactorFailure | null;
}

export interface ReactorRunnerOptions {
  reactor: Reactor;
  source: SubscriptionSource;
  checkpoints: CheckpointStore;
  /**
   * Saves the checkpoint at most this often (and when stopping); 0 saves after every event. Checkpoints kept
   * in the event store cost one event per save, so they are throttled: after a takeover, at most this much
   * work is repeated, which at-least-once reactions absorb.
   */
  saveEveryMs: number;
  /** A save was refused because another holder took the lease over: this instance must stop reacting. */
  onFenced(error: FencedOut): void;
  clock: Clock;
  logger: LoggerService;
  backoff: BackoffOptions;
  random?: () => number;
}

/**
 * Runs one reactor: a checkpointed catch-up subscription to `$all`, events handled one at a time, the
 * checkpoint saved after each event (at-least-once: a crash between reaction and save repeats the reaction).
 *
 * A reactor seen for the first time starts from `start`, not `end`: correctness over history. Starting at
 * the end would silently skip every event written while no reactor ran (a call created during a deploy
 * would never be dialled). The price is that a new reactor replays history once, so its reactions check
 * the current state first (the call-media reactor never dials a call that has already ended).
 */
export class ReactorRunner {
  state: ReactorState = 'stopped';
  checkpoint: bigint | null;
  lastError: ReactorFailure | null = null;

  private readonly sleeper = new InterruptibleSleep();
  private subscription: Subscription | null = null;
  private loop: Promise<void> = Promise.resolve();
  private active = false;
  private fence: bigint | undefined;
  private saved: bigint | null = null;
  private savedAtMs = 0;

  constructor(private readonly options: ReactorRunnerOptions) {
    this.checkpoint = null;
  }

  get name(): string {
    return this.options.reactor.name;
  }

  /** `fence`: the lease token under which it runs; every checkpoint save carries it. */
  start(fence?: bigint): void {
    if (this.active) return;
    this.active = true;
    this.fence = fence;
    this.state = 'running';
    this.loop = this.run();
  }

  /** Unsubscribes, cuts a backoff short and waits for the reaction in flight (its checkpoint is kept). */
  async stop(): Promise<void> {
    this.active = false;
    const subscription = this.subscription;
    this.subscription = null;
    this.sleeper.wake();
    if (subscription) await subscription.unsubscribe().catch(() => undefined);
    await this.loop;
    await this.saveCheckpoint(true).catch((error) => {
      this.options.logger.warn(`Reactor ${this.name}: last checkpoint not saved: ${message(error)}`);
    });
    this.state = 'stopped';
  }

  status(): ReactorStatus {
    return { name: this.name, checkpoint: this.checkpoint, state: this.state, lastError: this.lastError };
  }

  private async run(): Promise<void> {
    const { reactor, source } = this.options;
    let subscriptionFailures = 0;
    if (!(await this.loadCheckpoint())) return;
    while (this.active) {
      const subscription = source.subscribeToAll({
        fromPosition: this.checkpoint ?? 'start',
        filter: reactor.filter,
      });
      this.subscription = subscription;
      // Subscribing again after a failure counts as recovered; `lastError` still tells what happened.
      this.state = 'running';
      try {
        if (reactor.reactBatch) {
          await this.runBatches(subscription, () => {
            subscriptionFailures = 0;
          });
        } else
          for await (const event of subscription) {
            subscriptionFailures = 0;
            // The runtime's own checkpoint and lease events: never a reaction, and never a reason to save a
            // checkpoint (each save is such an event: an idle system would write one per second forever).
            if (isRuntimeStream(event.streamId)) continue;
            if (!this.active || !(await this.handle(event))) break;
            this.checkpoint = event.position;
            await this.saveCheckpoint(false);
          }
      } catch (error) {
        if (error instanceof FencedOut) {
          this.fenced(error);
          return;
        }
        // The store failed under the subscription: resubscribe from the checkpoint after a backoff.
        subscriptionFailures++;
        this.recordFailure(error, null, subscriptionFailures);
        this.options.logger.error(`Reactor ${this.name}: subscription failed: ${message(error)}`);
        await this.pause(subscriptionFailures);
        continue;
      }
      // The subscription ended without error: only unsubscribe does that, i.e. we are stopping.
      if (this.active) await this.pause(1);
    }
  }

  /** The `reactBatch` loop: what the subscription has ready, one reaction and one checkpoint per batch. */
  private async runBatches(subscription: Subscription, onEvents: () => void): Promise<void> {
    const batches = new ReadyBatches(
      subscription[Symbol.asyncIterator](),
      subscription.takeAvailable?.bind(subscription),
    );
    try {
      while (this.active) {
        const received = await batches.next(this.options.reactor.maxBatch ?? DEFAULT_MAX_BATCH);
        if (received.length === 0) return;
        onEvents();
        // The runtime's own checkpoint and lease events: never a reaction (see `run`).
        const events = received.filter((event) => !isRuntimeStream(event.streamId));
        if (events.length === 0) continue;
        if (!this.active || !(await this.handleBatch(events))) return;
        this.checkpoint = events[events.length - 1].position;
        await this.saveCheckpoint(false);
      }
    } finally {
      await batches.return().catch(() => undefined);
    }
  }

  /** As `handle`, for a batch; a final error redoes the batch one event at a time. */
  private async handleBatch(events: readonly RecordedEvent[]): Promise<boolean> {
    const reactBatch = this.options.reactor.reactBatch?.bind(this.options.reactor);
    if (!reactBatch) return false;
    for (let attempt = 1; ; attempt++) {
      try {
        await reactBatch(events);
        if (this.state === 'retrying') this.state = 'running';
        return true;
      } catch (error) {
        if (isFinal(error)) {
          for (const event of events) {
            if (!this.active || !(await this.handle(event))) return false;
            this.checkpoint = event.position;
          }
          return true;
        }
        const first = events[0];
        this.recordFailure(error, first, attempt);
        this.options.logger.error(
          `Reactor ${this.name}: ${events.length} events from ${first.position} failed (attempt ${attempt}): ${message(error)}`,
        );
        await this.pause(attempt);
        if (!this.active) return false;
      }
    }
  }

  /** Loads where to resume, retrying while the checkpoint store is unreachable; false when stopped first. */
  private async loadCheckpoint(): Promise<boolean> {
    for (let attempt = 1; this.active; attempt++) {
      try {
        this.checkpoint = await this.options.checkpoints.load(this.name);
        this.saved = this.checkpoint;
        return true;
      } catch (error) {
        this.recordFailure(error, null, attempt);
        await this.pause(attempt);
      }
    }
    return false;
  }

  private async saveCheckpoint(force: boolean): Promise<void> {
    const position = this.checkpoint;
    if (position === null || position === this.saved) return;
    const nowMs = this.options.clock.now().getTime();
    if (!force && this.options.saveEveryMs > 0 && nowMs - this.savedAtMs < this.options.saveEveryMs) return;
    await this.options.checkpoints.save(this.name, position, {
      fence: this.fence,
      at: this.options.clock.now(),
    });
    this.saved = position;
    this.savedAtMs = nowMs;
  }

  private fenced(error: FencedOut): void {
    this.active = false;
    this.options.logger.warn(`Reactor ${this.name}: ${error.message}; stopping here`);
    this.options.onFenced(error);
  }

  /**
   * Reacts until done or given up on; false only when stopped before finishing (keep the checkpoint).
   * Every line logged meanwhile (here, in the reactor, in the commands it sends) names the event and
   * what it is about.
   */
  private handle(event: RecordedEvent): Promise<boolean> {
    return withLogContext(reactionFields(this.name, event), () => this.react(event));
  }

  private async react(event: RecordedEvent): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.reactor.react(event);
        if (this.state === 'retrying') this.state = 'running';
        return true;
      } catch (error) {
        if (isFinal(error)) {
          this.options.logger.warn(
            `Reactor ${this.name}: ${event.type} ${event.id} at ${event.position} refused, skipped: ${message(error)}`,
          );
          return true;
        }
        this.recordFailure(error, event, attempt);
        this.options.logger.error(
          `Reactor ${this.name}: ${event.type} ${event.id} at ${event.position} failed (attempt ${attempt}): ${message(error)}`,
        );
        await this.pause(attempt);
        if (!this.active) return false;
      }
    }
  }

  private recordFailure(error: unknown, event: RecordedEvent | null, attempts: number): void {
    this.state = 'retrying';
    this.lastError = {
      message: message(error),
      eventId: event?.id ?? null,
      eventType: event?.type ?? null,
      position: event?.position ?? null,
      attempts,
      at: this.options.clock.now(),
    };
  }

  private async pause(attempt: number): Promise<void> {
    if (!this.active) return;
    await this.sleeper.sleep(backoffDelay(attempt, this.options.backoff, this.options.random));
  }
}

/**
 * A DomainError says the command contradicts the record: the same command on the same event will fail the
 * same way, so it is final. `conflict` (the stream kept changing) and `unavailable` are transient.
 */
export function isFinal(error: unknown): boolean {
  return error instanceof DomainError && error.kind !== 'conflict' && error.kind !== 'unavailable';
}

/** The log fields of one reaction: the reactor, the event, its stream's ids and its correlation. */
export function reactionFields(reactor: string, event: RecordedEvent): LogFields {
  return {
    reactor,
    event_type: event.type,
    event_id: event.id,
    stream: event.streamId,
    ...entityIdsOf(event.streamId, event.data),
    tenant: typeof event.metadata.customer_id === 'string' ? event.metadata.customer_id : null,
    correlation_id: typeof event.metadata.correlation_id === 'string' ? event.metadata.correlation_id : null,
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
