import { Logger, type LoggerService } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { Clock } from '../domain/clock';
import type { EventStore } from '../event-store/event-store';
import type { SubscriptionSource } from '../subscriptions/shared-feed';
import { planBuilds } from './build-plan';
import type { CatchUpOptions, CatchUpTuning } from './catch-up-tuning';
import type { Projection, TableNames } from './projection';
import {
  DuplicateProjection,
  ProjectionDowngrade,
  ProjectionRebuildAborted,
  ProjectionRebuildInProgress,
} from './projection.errors';
import type { ProjectionCatalog } from './projection-catalog';
import { ProjectionRunner } from './projection-runner';
import type { ProjectionState, SlotSnapshot } from './projection-status';
import { ProjectionSwitch } from './projection-switch';
import { type BuildId, describeBuild, physicalTableNames, tablePrefix } from './table-names';

export interface SlotDependencies {
  store: EventStore;
  /** Where runners subscribe: the shared feed in the app, the store itself by default. */
  source: SubscriptionSource;
  db: Database.Database;
  catalog: ProjectionCatalog;
  clock: Clock;
  batchSize: number;
  /** Catch-up mode of the runners (null: none) and the connection settings they share while in it. */
  catchUp: CatchUpOptions | null;
  tuning: CatchUpTuning | null;
  logger?: LoggerService;
  /** After any commit, failure or switch: the engine wakes read-your-writes waiters. */
  onProgress(): void;
}

/**
 * Every version of one projection name: the ACTIVE build (serves queries) and at most one PENDING build
 * (a newer version, or the same version rebuilt into fresh tables) that takes over once it has caught up.
 * The active build keeps being updated while the pending one builds only if its version is still
 * registered; otherwise its tables serve as they were at the last checkpoint until the switch.
 */
export class ProjectionSlot {
  private readonly versions = new Map<number, Projection>();
  private readonly logger: LoggerService;
  private readonly switcher: ProjectionSwitch;
  private active: BuildId | null = null;
  private activeRunner: ProjectionRunner | null = null;
  private pendingRunner: ProjectionRunner | null = null;
  private frozenCheckpoint: bigint | null = null;
  private running = false;

  constructor(
    readonly name: string,
    private readonly deps: SlotDependencies,
  ) {
    this.logger = deps.logger ?? new Logger('ProjectionEngine');
    this.switcher = new ProjectionSwitch(name, deps.store, deps.catalog, deps.clock, this.logger, {
      current: () => ({
        active: this.active!,
        activeRunner: this.activeRunner,
        pendingRunner: this.pendingRunner,
      }),
      isRunning: () => this.running,
      promote: (runner) => {
        this.active = runner.build;
        this.activeRunner = runner;
        this.pendingRunner = null;
        deps.onProgress();
      },
    });
  }

  register(projection: Projection): void {
    if (this.versions.has(projection.version)) throw new DuplicateProjection(this.name, projection.version);
    physicalTableNames({ name: this.name, version: projection.version, generation: 0 }, projection.tables);
    const active = this.deps.catalog.active(this.name);
    if (active && projection.version < active.version) {
      throw new ProjectionDowngrade(this.name, projection.version, active.version);
    }
    this.versions.set(projection.version, projection);
  }

  /** Physical tables of the build that answers queries. */
  tables(): TableNames {
    const active = this.active ?? this.deps.catalog.active(this.name);
    if (!active) {
      const target = this.target();
      return physicalTableNames({ name: this.name, version: target.version, generation: 0 }, target.tables);
    }
    const projection = this.versions.get(active.version);
    if (projection) return physicalTableNames(active, projection.tables);
    // The active version's code is gone (a newer one is building): name its tables from the catalog.
    const prefix = `${tablePrefix(active)}_`;
    const tables = this.deps.catalog.build(active)?.tables ?? [];
    return Object.freeze(Object.fromEntries(tables.map((table) => [table.slice(prefix.length), table])));
  }

  /** Checkpoint of the build that serves queries (read from the catalog before start). */
  get checkpoint(): bigint | null {
    if (this.activeRunner) return this.activeRunner.checkpoint;
    if (this.running) return this.frozenCheckpoint;
    const active = this.deps.catalog.active(this.name);
    return active ? (this.deps.catalog.build(active)?.checkpoint ?? null) : null;
  }

  /** Decides the active and pending builds from the catalog, drops leftovers, starts the runners. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const { catalog, clock } = this.deps;
    const target = this.target();
    const plan = planBuilds(this.name, target.version, catalog.active(this.name), catalog.builds(this.name));
    for (const leftover of plan.leftovers) catalog.dropBuild(leftover);
    const { isNew, ...active } = plan.active;
    if (isNew) {
      this.recordBuild(active, target);
      catalog.activate(active, clock.now());
    }
    this.active = active;
    this.frozenCheckpoint = catalog.build(active)?.checkpoint ?? null;
    const activeProjection = this.versions.get(active.version);
    this.activeRunner = activeProjection ? this.startRunner(activeProjection, active) : null;
    if (plan.pending) this.startPending(plan.pending);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.switcher.settled();
    await Promise.all([this.activeRunner?.stop(), this.pendingRunner?.stop()]);
    this.pendingRunner = null;
    this.switcher.abort(
      new ProjectionRebuildAborted(this.name, 'the engine stopped; it resumes at next start'),
    );
  }

  /** Restarts failed runners from their checkpoints (the failed batch is applied again). */
  async restart(): Promise<void> {
    for (const runner of [this.activeRunner, this.pendingRunner]) {
      if (runner?.state !== 'failed') continue;
      await runner.stop();
      if (this.running) runner.start();
    }
  }

  /** Builds the newest registered version again into fresh tables; resolves once they serve queries. */
  rebuild(): Promise<void> {
    if (this.pendingRunner) {
      return Promise.reject(new ProjectionRebuildInProgress(this.name, this.pendingRunner.build.version));
    }
    const target = this.target();
    const generations = this.deps.catalog.builds(this.name).filter((b) => b.version === target.version);
    const generation = Math.max(-1, ...generations.map((b) => b.generation)) + 1;
    const build = { name: this.name, version: target.version, generation };
    const done = this.switcher.whenSwitched();
    // When stopped, the recorded build is resumed (and this promise settled) at the next start.
    if (this.running) this.startPending(build);
    else this.recordBuild(build, target);
    return done;
  }

  snapshot(): SlotSnapshot {
    const failed = [this.activeRunner, this.pendingRunner].find((runner) => runner?.state === 'failed');
    let state: ProjectionState;
    if (failed) state = 'failed';
    else if (!this.running) state = 'stopped';
    else if (this.pendingRunner) state = 'rebuilding';
    else state = this.activeRunner?.state ?? 'stopped';
    const pending = this.pendingRunner;
    return {
      name: this.name,
      activeVersion: (this.active ?? this.deps.catalog.active(this.name))?.version ?? this.target().version,
      checkpoint: this.checkpoint,
      state,
      error: failed?.failure ?? null,
      rebuild: pending && {
        version: pending.build.version,
        generation: pending.build.generation,
        checkpoint: pending.checkpoint,
        state: pending.state,
      },
    };
  }

  private target(): Projection {
    return this.versions.get(Math.max(...this.versions.keys()))!;
  }

  private recordBuild(build: BuildId, projection: Projection): void {
    const tables = Object.values(physicalTableNames(build, projection.tables));
    this.deps.catalog.createBuild(build, tables, this.deps.clock.now());
  }

  private startPending(build: BuildId): void {
    const projection = this.versions.get(build.version)!;
    this.recordBuild(build, projection);
    this.logger.log(`Building ${describeBuild(build)} while ${describeBuild(this.active!)} serves queries`);
    this.pendingRunner = this.startRunner(projection, build);
  }

  private startRunner(projection: Projection, build: BuildId): ProjectionRunner {
    const { store, source, db, catalog, clock, batchSize, catchUp, tuning, logger } = this.deps;
    const runner = new ProjectionRunner({
      store,
      source,
      db,
      catalog,
      clock,
      batchSize,
      catchUp,
      tuning,
      logger,
      projection,
      build,
      onProgress: (source) => {
        if (source === this.pendingRunner) this.switcher.onPendingProgress(source);
        this.deps.onProgress();
      },
    });
    runner.start();
    return runner;
  }
}
