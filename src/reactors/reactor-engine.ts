import {
  Logger,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type Clock, systemClock } from '../domain/clock';
import type { CheckpointStore, FencedOut } from '../subscriptions/checkpoint-store';
import type { SubscriptionSource } from '../subscriptions/shared-feed';
import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff';
import type { Reactor } from './reactor';
import { ReactorRunner, type ReactorStatus } from './reactor-runner';

export type { ReactorState, ReactorStatus } from './reactor-runner';

export interface ReactorEngineOptions {
  clock?: Clock;
  logger?: LoggerService;
  /** Retry delays of failed reactions (jittered exponential, capped). */
  backoff?: BackoffOptions;
  random?: () => number;
  /** See `ReactorRunnerOptions.saveEveryMs`; default 0 (after every event). */
  saveEveryMs?: number;
  /**
   * Start on application bootstrap (default). False when a lease decides when this instance reacts: the
   * runtime then calls `start(fence)` once it holds the lease and `stop()` when it loses it.
   */
  autoStart?: boolean;
  /** A checkpoint save was fenced out: another instance took the lease over. */
  onFenced?(error: FencedOut): void;
}

/** Two reactors under one name would share (and corrupt) one checkpoint. */
export class DuplicateReactor extends Error {
  override readonly name = 'DuplicateReactor';
  constructor(readonly reactorName: string) {
    super(`Reactor ${reactorName} is already registered`);
  }
}

/**
 * Runs every registered reactor (saga / process manager), each on its own checkpointed subscription to the
 * event store's `$all` — never on the in-process EventBus, which forgets everything on a crash.
 * Checkpoints live in `reactors.db`, apart from the read models, so rebuilding a read model never replays
 * reactions.
 *
 * Lifecycle in Nest, as for projections: features `register()` in `onModuleInit`; the engine starts on
 * application bootstrap and stops at the first shutdown hook (`onModuleDestroy`), so reactions in flight
 * finish before the event store closes. A reactor registered after start starts at once.
 *
 * Scale-out: every instance running this engine reacts to every event, so N instances behind one
 * EventStoreDB would dial each call N times (the gateway's idempotency and the deciders would absorb most of
 * it, but not all side effects). Today reactors assume ONE active instance; running several needs a
 * leader lease or EventStoreDB persistent subscriptions (competing consumers) per reactor.
 */
export class ReactorEngine implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly runners = new Map<string, ReactorRunner>();
  private readonly clock: Clock;
  private readonly logger: LoggerService;
  private running = false;
  private fence: bigint | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly checkpoints: CheckpointStore,
    private readonly options: ReactorEngineOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? new Logger(ReactorEngine.name);
  }

  register(reactor: Reactor): void {
    if (this.runners.has(reactor.name)) throw new DuplicateReactor(reactor.name);
    const runner = new ReactorRunner({
      reactor,
      source: this.source,
      checkpoints: this.checkpoints,
      saveEveryMs: this.options.saveEveryMs ?? 0,
      onFenced: (error) => this.options.onFenced?.(error),
      clock: this.clock,
      logger: this.logger,
      backoff: this.options.backoff ?? DEFAULT_BACKOFF,
      random: this.options.random,
    });
    this.runners.set(reactor.name, runner);
    if (this.running) runner.start(this.fence);
  }

  /** `fence`: the lease token this instance holds, carried by every checkpoint save. */
  start(fence?: bigint): void {
    if (this.running) return;
    this.running = true;
    this.fence = fence;
    for (const runner of this.runners.values()) runner.start(fence);
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Stops every reactor after its reaction in flight (or at once when it is backing off). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  onApplicationBootstrap(): void {
    if (this.options.autoStart ?? true) this.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Per reactor: checkpoint, state (`running`, `retrying`, `stopped`) and the last error. */
  status(): ReactorStatus[] {
    return [...this.runners.values()].map((runner) => runner.status());
  }
}
