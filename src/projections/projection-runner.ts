import { Logger, type LoggerService } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { Clock } from '../domain/clock';
import type { EventStore, RecordedEvent, Subscription } from '../event-store/event-store';
import type { SubscriptionSource } from '../subscriptions/shared-feed';
import type { CatchUpOptions, CatchUpTuning } from './catch-up-tuning';
import type { Projection, ProjectionHandler, TableNames } from './projection';
import type { ProjectionCatalog } from './projection-catalog';
import { isCaughtUp } from './projection-status';
import { type BuildId, describeBuild, physicalTableNames } from './table-names';

export type RunnerState = 'catching_up' | 'live' | 'failed' | 'stopped';

/**
 * A batch that changed no row (the projection ignores every event in it) writes its checkpoint only if the
 * stored one is older than this, by the runner's clock. Replaying events that changed nothing changes
 * nothing, so a stored checkpoint behind the one in memory is always safe; it saves a page write and a
 * commit per tick for each projection the tick's events do not concern (most of them, on the call path).
 * Stopping, and failing, store what is in memory.
 */
export const UNCHANGED_CHECKPOINT_EVERY_MS = 1_000;

/** Why a projection stopped: the handler (or the subscription) threw. */
export interface ProjectionFailure {
  readonly message: string;
  readonly version: number;
  readonly generation: number;
  /** The event the handler threw on; null when setup or the subscription itself failed. */
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly position: bigint | null;
  readonly at: Date;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  /** Where it subscribes: the shared feed in the app, or the store itself. */
  source: SubscriptionSource;
  db: Database.Database;
  catalog: ProjectionCatalog;
  projection: Projection;
  build: BuildId;
  clock: Clock;
  /** Most events applied in one transaction once live. */
  batchSize: number;
  /** Catch-up mode (large batches, `handleBatch`, deferred indexes); null: catch up like the live path. */
  catchUp?: CatchUpOptions | null;
  /** Connection settings while catching up, shared by the runners of one database. */
  tuning?: CatchUpTuning | null;
  /** After every commit, and whenever the subscription has nothing more to deliver right now. */
  onProgress(runner: ProjectionRunner): void;
  logger?: LoggerService;
}

/**
 * Applies `$all` to one build of a projection, from its checkpoint. Each batch (the handler's table changes
 * and the checkpoint) commits in ONE transaction, so a crash at any point neither loses nor doubles an event.
 *
 * Batching without adding latency: events are accumulated while the subscription delivers them without
 * waiting (up to `batchSize`), and the batch is flushed as soon as it would block. "Would block" is
 * detected with one `setImmediate` per batch rather than a race per event: the immediate only runs once the
 * microtask queue is empty, i.e. while the loop is parked on `next()`.
 *
 * Catch-up mode (state `catching_up`, with `catchUp` options): batches of up to `catchUp.batchSize` events
 * through the handler's `handleBatch` when it has one, a flush only once delivery stalls for a whole turn of
 * the event loop (a store yields a macrotask between pages) or the batch is `maxBatchAgeMs` old, and the
 * indexes of a fresh build are created in bulk by `afterCatchUp` before it is reported live. The live path
 * is unchanged: `handle` per event, flushed at the first pause.
 */
export class ProjectionRunner {
  readonly build: BuildId;
  readonly tables: TableNames;
  state: RunnerState = 'stopped';
  /** Position of the last event committed to this build's tables; null when none yet. */
  checkpoint: bigint | null = null;
  failure: ProjectionFailure | null = null;

  private readonly options: ProjectionRunnerOptions;
  private readonly logger: LoggerService;
  private subscription: Subscription | null = null;
  private loop: Promise<void> = Promise.resolve();
  private batch: RecordedEvent[] = [];
  private tickArmed = false;
  private confirming = false;
  private recheck = false;
  /** Applies a batch in one transaction; true when it stored the checkpoint too. */
  private applyBatch: ((events: RecordedEvent[], batched: boolean) => boolean) | null = null;
  /** Rows changed on the connection so far (SQLite's `total_changes()`): did a batch write anything? */
  private readonly totalChanges: Database.Statement<[], number>;
  /** The checkpoint as stored, and when (clock ms) it was stored. */
  private stored: bigint | null = null;
  private storedAtMs = Number.NEGATIVE_INFINITY;
  private handler: ProjectionHandler | null = null;
  /** Setup left the indexes to `afterCatchUp`, which has not run yet. */
  private indexesPending = false;
  private holdsTuning = false;
  /** Catch-up: batch length at the last tick (still growing = still being delivered) and when it began. */
  private batchAtTick = 0;
  private batchStartedAt = 0;
  /** The event being handled, to blame it when the handler throws. */
  private current: RecordedEvent | null = null;

  constructor(options: ProjectionRunnerOptions) {
    this.options = options;
    this.build = options.build;
    this.tables = physicalTableNames(options.build, options.projection.tables);
    this.logger = options.logger ?? new Logger(ProjectionRunner.name);
    this.checkpoint = options.catalog.build(options.build)?.checkpoint ?? null;
    this.totalChanges = options.db.prepare<[], number>('SELECT total_changes()').pluck();
  }

  get running(): boolean {
    return this.state === 'catching_up' || this.state === 'live';
  }

  /** Sets the tables up and subscribes from the stored checkpoint. Also restarts a failed runner. */
  start(): void {
    if (this.running) return;
    const { db, catalog, projection, build, source } = this.options;
    this.failure = null;
    this.batch = [];
    this.checkpoint = catalog.build(build)?.checkpoint ?? null;
    this.stored = this.checkpoint;
    this.storedAtMs = Number.NEGATIVE_INFINITY;
    const deferIndexes = Boolean(this.options.catchUp && this.checkpoint === null && projection.afterCatchUp);
    let handler: ProjectionHandler;
    try {
      handler = db.transaction(() => projection.setup(db, this.tables, { deferIndexes }))();
    } catch (error) {
      this.fail(error, null);
      return;
    }
    this.handler = handler;
    this.indexesPending = deferIndexes;
    this.applyBatch = db.transaction((events: RecordedEvent[], batched: boolean) => {
      const changesBefore = this.totalChanges.get();
      if (batched && handler.handleBatch) {
        handler.handleBatch(events);
      } else {
        for (const event of events) {
          this.current = event;
          handler.handle(event);
        }
      }
      this.current = null;
      // Every delivered event moves the checkpoint in memory, also those the handler ignores: read-your-
      // writes waits on the positions of arbitrary events. A batch that changed rows stores it with them.
      const now = this.options.clock.now();
      const changed = this.totalChanges.get() !== changesBefore;
      if (!changed && now.getTime() - this.storedAtMs < UNCHANGED_CHECKPOINT_EVERY_MS) return false;
      catalog.saveCheckpoint(build, events[events.length - 1].position, now);
      return true;
    });
    this.state = 'catching_up';
    this.holdTuning(true);
    const subscription = source.subscribeToAll({ fromPosition: this.checkpoint ?? 'start' });
    this.subscription = subscription;
    this.loop = this.run(subscription);
  }

  /** Unsubscribes and waits for the loop; events already received are committed first. */
  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    if (subscription) await subscription.unsubscribe().catch(() => undefined);
    await this.loop;
    if (this.state !== 'failed') this.state = 'stopped';
    this.storeCheckpoint();
    this.holdTuning(false);
  }

  /** Stores the checkpoint in memory when unchanged batches left the stored one behind. */
  private storeCheckpoint(): void {
    const { db, catalog, build, clock } = this.options;
    if (this.checkpoint === null || this.checkpoint === this.stored || !db.open) return;
    try {
      catalog.saveCheckpoint(build, this.checkpoint, clock.now());
      this.stored = this.checkpoint;
    } catch (error) {
      // Behind is safe: the events after the stored checkpoint changed nothing and are applied again.
      this.logger.warn(
        `Projection ${describeBuild(this.build)}: checkpoint not stored (${(error as Error).message})`,
      );
    }
  }

  private async run(subscription: Subscription): Promise<void> {
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      if (this.indexesPending) await this.indexNowIfLogIsShort();
      while (this.running) {
        this.armTick();
        const next = await iterator.next();
        if (next.done || !this.running) break;
        if (this.batch.length === 0 && this.state === 'catching_up') this.batchStartedAt = performance.now();
        this.batch.push(next.value);
        // The rest of what is available now (a catch-up page, queued pushes) in one step: a promise per
        // event, with the async hooks each runs, was a tenth of a cold start.
        const limit = this.batchLimit();
        const available = subscription.takeAvailable?.(limit - this.batch.length);
        if (available) for (const event of available) this.batch.push(event);
        if (this.batch.length >= limit) this.flush();
      }
      if (this.running) {
        this.flush();
        if (this.running) this.state = 'stopped';
      }
    } catch (error) {
      // The subscription itself failed (store gone, unrecoverable error): keep what was delivered.
      this.flush();
      if (this.state !== 'failed') this.fail(error, null);
    } finally {
      if (this.state === 'failed') await iterator.return?.().catch(() => undefined);
    }
  }

  private armTick(): void {
    if (this.tickArmed) return;
    this.tickArmed = true;
    setImmediate(this.onTick);
  }

  /** Runs only while the loop waits on the subscription: nothing more is immediately available. */
  private readonly onTick = (): void => {
    this.tickArmed = false;
    if (!this.running) return;
    if (this.stillDelivering()) {
      // Catching up: the store yielded between two pages. Keep filling the batch for another turn.
      this.batchAtTick = this.batch.length;
      this.armTick();
      return;
    }
    this.batchAtTick = 0;
    this.flush();
    if (this.state === 'catching_up') void this.confirmLive();
    else if (this.running) this.options.onProgress(this);
  };

  /**
   * A pause in delivery is not proof of being caught up (a store may yield between pages of a catch-up), so
   * `live` is only claimed once `$all` holds nothing after the checkpoint. One check at a time.
   */
  private async confirmLive(): Promise<void> {
    if (this.confirming) {
      // The answer in flight may be about an older checkpoint: ask again once it is in.
      this.recheck = true;
      return;
    }
    this.confirming = true;
    try {
      do {
        this.recheck = false;
        const caughtUp = await isCaughtUp(this.options.store, this.checkpoint);
        if (caughtUp && this.state === 'catching_up') {
          if (this.indexesPending && !this.runAfterCatchUp()) return;
          this.state = 'live';
          this.holdTuning(false);
          this.options.onProgress(this);
        }
      } while (this.recheck && this.state === 'catching_up');
    } catch {
      // The store failing here fails the subscription too; the loop reports it.
    } finally {
      this.confirming = false;
    }
  }

  private flush(): void {
    if (this.batch.length === 0 || !this.running || !this.applyBatch) return;
    const events = this.batch;
    this.batch = [];
    const batched =
      this.state === 'catching_up' &&
      Boolean(this.options.catchUp && this.handler?.handleBatch) &&
      events.length > 1;
    let stored: boolean;
    try {
      stored = this.applyBatch(events, batched);
    } catch (error) {
      // The transaction rolled back: neither the tables nor the checkpoint moved. A batched apply is tried
      // again event by event, so that a failure names its event exactly as on the live path.
      const retried = batched ? this.retryEventByEvent(events, error) : null;
      if (retried === null) {
        this.fail(error, this.current);
        this.current = null;
        return;
      }
      stored = retried;
    }
    this.checkpoint = events[events.length - 1].position;
    if (stored) {
      this.stored = this.checkpoint;
      this.storedAtMs = this.options.clock.now().getTime();
    }
    this.options.onProgress(this);
  }

  /**
   * Whether `handle`, event by event, applied what `handleBatch` could not (a bug in the latter) and stored
   * the checkpoint; null when it failed too.
   */
  private retryEventByEvent(events: RecordedEvent[], batchError: unknown): boolean | null {
    let stored: boolean;
    try {
      stored = this.applyBatch!(events, false);
    } catch {
      return null;
    }
    const message = batchError instanceof Error ? batchError.message : String(batchError);
    this.logger.warn(
      `Projection ${describeBuild(this.build)}: handleBatch failed (${message}), handle did not`,
    );
    return stored;
  }

  private batchLimit(): number {
    const { catchUp, batchSize } = this.options;
    return this.state === 'catching_up' && catchUp ? catchUp.batchSize : batchSize;
  }

  /** Catching up, and events arrived since the last tick: a page boundary, not the head. */
  private stillDelivering(): boolean {
    if (this.state !== 'catching_up' || !this.options.catchUp || this.batch.length === 0) return false;
    if (this.batch.length === this.batchAtTick) return false;
    return performance.now() - this.batchStartedAt < this.options.catchUp.maxBatchAgeMs;
  }

  /** A fresh build on a short log indexes its (nearly empty) tables at once: queries need them soon. */
  private async indexNowIfLogIsShort(): Promise<void> {
    const limit = this.options.catchUp?.deferIndexesAbove ?? 0;
    const head = await this.options.store.headPosition().catch(() => undefined);
    if (head !== undefined && (head === null || head <= BigInt(limit)) && this.running)
      this.runAfterCatchUp();
  }

  /** The projection's `afterCatchUp`, once; false (and the runner failed) when it threw. */
  private runAfterCatchUp(): boolean {
    const { db, projection } = this.options;
    try {
      if (projection.afterCatchUp) db.transaction(() => projection.afterCatchUp!(db, this.tables))();
      this.indexesPending = false;
      return true;
    } catch (error) {
      this.fail(error, null);
      return false;
    }
  }

  /** The first runner to catch up applies the catch-up connection settings; the last to stop restores them. */
  private holdTuning(hold: boolean): void {
    const tuning = this.options.tuning;
    if (!tuning || !this.options.catchUp || hold === this.holdsTuning) return;
    this.holdsTuning = hold;
    if (hold) tuning.enter();
    else tuning.leave();
  }

  private fail(error: unknown, event: RecordedEvent | null): void {
    const message = error instanceof Error ? error.message : String(error);
    this.state = 'failed';
    this.holdTuning(false);
    this.batch = [];
    this.failure = {
      message,
      version: this.build.version,
      generation: this.build.generation,
      eventId: event?.id ?? null,
      eventType: event?.type ?? null,
      position: event?.position ?? null,
      at: this.options.clock.now(),
    };
    const where = event ? ` on event ${event.id} (${event.type}) at position ${event.position}` : '';
    this.logger.error(`Projection ${describeBuild(this.build)} failed${where}: ${message}`);
    this.storeCheckpoint();
    const subscription = this.subscription;
    this.subscription = null;
    void subscription?.unsubscribe().catch(() => undefined);
    this.options.onProgress(this);
  }
}
