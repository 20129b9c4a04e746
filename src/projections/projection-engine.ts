import {
  Logger,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { type Clock, systemClock } from '../domain/clock';
import type { EventStore } from '../event-store/event-store';
import type { SubscriptionSource } from '../subscriptions/shared-feed';
import { CATCH_UP_DEFAULTS, type CatchUpOptions, CatchUpTuning } from './catch-up-tuning';
import { PositionWaiters } from './position-waiters';
import type { Projection, TableNames } from './projection';
import { UnknownProjection } from './projection.errors';
import { ProjectionCatalog } from './projection-catalog';
import { ProjectionSlot } from './projection-slot';
import { measureLag, type ProjectionStatus } from './projection-status';
import type { ReadModelDatabase } from './read-model-database';

export type { ProjectionState, ProjectionStatus } from './projection-status';

export interface ProjectionEngineOptions {
  /** Where projections subscribe; default the store (the app passes the process's shared feed). */
  source?: SubscriptionSource;
  /** Ages events for lag in milliseconds and stamps checkpoints. */
  clock?: Clock;
  /** Most events applied in one transaction (default 2,000 once live, `catchUp.batchSize` before). */
  batchSize?: number;
  /**
   * How builds far behind the head catch up (large batches, `handleBatch`, deferred indexes, a large page
   * cache and rare WAL checkpoints); `false`: exactly like the live path (for comparison in benchmarks).
   */
  catchUp?: Partial<CatchUpOptions> | false;
  /** Used by `waitForPosition` when the caller gives no timeout. */
  defaultWaitTimeoutMs?: number;
  logger?: LoggerService;
}

export interface WaitForPositionOptions {
  /** Projections that must have passed the position; default: every registered one. */
  projections?: readonly string[];
  timeoutMs?: number;
}

/**
 * Runs every registered projection from the event store's `$all` into the read-model database (never from
 * the in-process EventBus): one runner per projection build, each with its own transactional checkpoint.
 *
 * Lifecycle in Nest: features `register()` in `onModuleInit`; the engine starts on application bootstrap
 * and stops at the first shutdown hook (`onModuleDestroy`), before stores and files are closed. A projection
 * registered after start starts at once.
 */
export class ProjectionEngine implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly slots = new Map<string, ProjectionSlot>();
  private readonly catalog: ProjectionCatalog;
  private readonly clock: Clock;
  private readonly waiters: PositionWaiters;
  private readonly logger: LoggerService;
  private readonly defaultWaitTimeoutMs: number;
  private readonly catchUp: CatchUpOptions | null;
  private readonly tuning: CatchUpTuning | null;
  private running = false;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelDatabase,
    private readonly options: ProjectionEngineOptions = {},
  ) {
    this.catalog = new ProjectionCatalog(readModels);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? new Logger(ProjectionEngine.name);
    this.defaultWaitTimeoutMs = options.defaultWaitTimeoutMs ?? 5_000;
    this.waiters = new PositionWaiters((name) => this.slots.get(name)?.checkpoint ?? null);
    // An explicit `batchSize` bounds catch-up transactions too unless `catchUp.batchSize` says otherwise.
    const catchUpBatch = options.batchSize ?? CATCH_UP_DEFAULTS.batchSize;
    this.catchUp =
      options.catchUp === false
        ? null
        : { ...CATCH_UP_DEFAULTS, batchSize: catchUpBatch, ...options.catchUp };
    this.tuning =
      this.catchUp && new CatchUpTuning(readModels.connection, this.catchUp, readModels.checkpointer);
  }

  /**
   * Adds a projection. Registering a higher version of a known name starts a blue/green build; registering
   * several versions keeps the older one updated until the newest takes over.
   */
  register(projection: Projection): void {
    const existing = this.slots.get(projection.name);
    const slot =
      existing ??
      new ProjectionSlot(projection.name, {
        store: this.store,
        source: this.options.source ?? this.store,
        db: this.readModels.connection,
        catalog: this.catalog,
        clock: this.clock,
        batchSize: this.options.batchSize ?? 2_000,
        catchUp: this.catchUp,
        tuning: this.tuning,
        logger: this.options.logger,
        onProgress: () => this.waiters.notify(),
      });
    slot.register(projection);
    this.slots.set(projection.name, slot);
    if (!this.running) return;
    if (!existing) slot.start();
    else void this.replan(slot);
  }

  /** Every registered projection name. */
  names(): string[] {
    return [...this.slots.keys()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const slot of this.slots.values()) slot.start();
  }

  /** Unsubscribes every runner and waits for them; pending waiters resolve false. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await Promise.all([...this.slots.values()].map((slot) => slot.stop()));
    this.waiters.releaseAll();
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /**
   * Physical tables of the ACTIVE build: call it for every query and do not keep the names across an
   * `await`, because a blue/green switch drops the old tables shortly after taking over.
   */
  tables<Logical extends string = string>(name: string): TableNames<Logical> {
    return this.slot(name).tables() as TableNames<Logical>;
  }

  /**
   * Read-your-writes: resolves `true` once every named projection (default: all) has committed the event at
   * `position` (its active build's checkpoint ≥ position), or `false` after the timeout (default 5 s) or when
   * the engine stops. It never rejects on timeout: a caller answers from a possibly stale read model and may
   * say so. Unknown names reject with `UnknownProjection`. Woken on commit, no polling.
   */
  waitForPosition(position: bigint, options: WaitForPositionOptions = {}): Promise<boolean> {
    const names = options.projections ?? [...this.slots.keys()];
    for (const name of names) if (!this.slots.has(name)) return Promise.reject(new UnknownProjection(name));
    return this.waiters.wait(position, names, options.timeoutMs ?? this.defaultWaitTimeoutMs);
  }

  /** Whether every named projection has committed the event at `position` already (no wait). */
  hasApplied(position: bigint, projections: readonly string[]): boolean {
    return this.waiters.reached(position, projections);
  }

  /** The store's last position now (null: empty), to tell a position not applied yet from one never written. */
  headPosition(): Promise<bigint | null> {
    return this.store.headPosition();
  }

  /** Per projection: version, checkpoint, state, lag in positions and milliseconds, failure details. */
  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const snapshots = [...this.slots.values()].map((slot) => slot.snapshot());
    return Promise.all(snapshots.map((snapshot) => measureLag(this.store, this.clock, head, snapshot)));
  }

  /** Restarts a failed projection from its checkpoint (after the cause was fixed, or to retry). */
  async restart(name: string): Promise<void> {
    await this.slot(name).restart();
  }

  /**
   * Rebuilds the newest registered version into fresh tables while the current ones keep serving, then
   * switches over. Resolves after the switch; rejects if that build fails or the engine stops first.
   */
  rebuild(name: string): Promise<void> {
    return this.slot(name).rebuild();
  }

  private slot(name: string): ProjectionSlot {
    const slot = this.slots.get(name);
    if (!slot) throw new UnknownProjection(name);
    return slot;
  }

  /** A new version registered while running: restart the slot so it plans the blue/green build. */
  private async replan(slot: ProjectionSlot): Promise<void> {
    try {
      await slot.stop();
      if (this.running) slot.start();
    } catch (error) {
      this.logger.error(`Projection ${slot.name} could not start: ${(error as Error).message}`);
    }
  }
}
