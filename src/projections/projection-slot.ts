import { Logger, type LoggerService } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { Clock } from '../domain/clock';
import type { EventStore } from '../event-store/event-store';
import type { Projection, TableNames } from './projection';
import {
  DuplicateProjection,
  ProjectionDowngrade,
  ProjectionRebuildAborted,
  ProjectionRebuildInProgress,
} from './projection.errors';
import type { ProjectionCatalog } from './projection-catalog';
import { type ProjectionFailure, ProjectionRunner, type RunnerState } from './projection-runner';
import { type BuildId, describeBuild, physicalTableNames, tablePrefix } from './table-names';

export interface SlotDependencies {
  store: EventStore;
  db: Database.Database;
  catalog: ProjectionCatalog;
  clock: Clock;
  batchSize: number;
  logger?: LoggerService;
  /** After any commit, failure or switch: the engine wakes read-your-writes waiters. */
  onProgress(): void;
}

export type ProjectionState = RunnerState | 'rebuilding';

export interface SlotSnapshot {
  name: string;
  activeVersion: number;
  /** Checkpoint of the build that serves queries. */
  checkpoint: bigint | null;
  state: ProjectionState;
  error: ProjectionFailure | null;
  /** The build that will take over, while one is in progress. */
  rebuild: { version: number; generation: number; checkpoint: bigint | null; state: RunnerState } | null;
}

const sameBuild = (a: BuildId, b: BuildId) => a.version === b.version && a.generation === b.generation;

/**
 * Every version of one projection name: the ACTIVE build (serves queries) and at most one PENDING build
 * (a newer version, or the same version rebuilt into fresh tables) that takes over once it has caught up.
 * The active build keeps being updated while the pending one builds only if its version is still
 * registered; otherwise its tables serve as they were at the last checkpoint until the switch.
 */
export class ProjectionSlot {
  private readonly versions = new Map<number, Projection>();
  private readonly logger: LoggerService;
  private active: BuildId | null = null;
  private activeRunner: ProjectionRunner | null = null;
  private frozenCheckpoint: bigint | null = null;
  private pending: BuildId | null = null;
  private pendingRunner: ProjectionRunner | null = null;
  private running = false;
  private switching = false;
  private rebuildWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(
    readonly name: string,
    private readonly deps: SlotDependencies,
  ) {
    this.logger = deps.logger ?? new Logger('ProjectionEngine');
  }

  register(projection: Projection): void {
    if (this.versions.has(projection.version)) throw new DuplicateProjection(this.name, projection.version);
    tablePrefix({ name: this.name, version: projection.version, generation: 0 }); // validates the name
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
    if (!active)
      return physicalTableNames(
        { name: this.name, version: this.target().version, generation: 0 },
        this.target().tables,
      );
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
    let active = catalog.active(this.name);
    if (!active) {
      active = { name: this.name, version: target.version, generation: 0 };
      catalog.createBuild(active, Object.values(physicalTableNames(active, target.tables)), clock.now());
      catalog.activate(active, clock.now());
    }
    const builds = catalog.builds(this.name);
    const resumable = builds.filter(
      (b) => b.version === target.version && (b.version > active.version || b.generation > active.generation),
    );
    let pending: BuildId | null = resumable.at(-1) ?? null;
    if (!pending && target.version > active.version) {
      pending = { name: this.name, version: target.version, generation: 0 };
    }
    for (const build of builds) {
      if (!sameBuild(build, active) && !(pending && sameBuild(build, pending))) catalog.dropBuild(build);
    }
    this.active = active;
    this.frozenCheckpoint = catalog.build(active)?.checkpoint ?? null;
    const activeProjection = this.versions.get(active.version);
    this.activeRunner = activeProjection ? this.startRunner(activeProjection, active) : null;
    if (pending) this.startPending(pending);
  }

  async stop(): Promise<void> {
    this.running = false;
    const runners = [this.activeRunner, this.pendingRunner];
    await Promise.all(runners.map((runner) => runner?.stop()));
    this.settleRebuild(
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
    if (this.pending) return Promise.reject(new ProjectionRebuildInProgress(this.name, this.pending.version));
    const target = this.target();
    const generations = this.deps.catalog.builds(this.name).filter((b) => b.version === target.version);
    const generation = Math.max(-1, ...generations.map((b) => b.generation)) + 1;
    const done = new Promise<void>((resolve, reject) => this.rebuildWaiters.push({ resolve, reject }));
    const build = { name: this.name, version: target.version, generation };
    if (this.running) this.startPending(build);
    else
      this.deps.catalog.createBuild(
        build,
        Object.values(physicalTableNames(build, target.tables)),
        this.deps.clock.now(),
      );
    return done;
  }

  snapshot(): SlotSnapshot {
    const active = this.active ?? this.deps.catalog.active(this.name);
    const failed = [this.activeRunner, this.pendingRunner].find((runner) => runner?.state === 'failed');
    let state: ProjectionState;
    if (failed) state = 'failed';
    else if (!this.running) state = 'stopped';
    else if (this.pendingRunner) state = 'rebuilding';
    else state = this.activeRunner?.state ?? 'stopped';
    const pending = this.pendingRunner;
    return {
      name: this.name,
      activeVersion: active?.version ?? this.target().version,
      checkpoint: this.checkpoint,
      state,
      error: failed?.failure ?? null,
      rebuild: pending
        ? { ...pick(pending.build), checkpoint: pending.checkpoint, state: pending.state }
        : null,
    };
  }

  private target(): Projection {
    const newest = Math.max(...this.versions.keys());
    return this.versions.get(newest)!;
  }

  private startPending(build: BuildId): void {
    const projection = this.versions.get(build.version)!;
    this.deps.catalog.createBuild(
      build,
      Object.values(physicalTableNames(build, projection.tables)),
      this.deps.clock.now(),
    );
    this.pending = build;
    this.logger.log(`Building ${describeBuild(build)} while ${describeBuild(this.active!)} serves queries`);
    this.pendingRunner = this.startRunner(projection, build);
  }

  private startRunner(projection: Projection, build: BuildId): ProjectionRunner {
    const { store, db, catalog, clock, batchSize, logger } = this.deps;
    const runner = new ProjectionRunner({
      store,
      db,
      catalog,
      clock,
      batchSize,
      logger,
      projection,
      build,
      onProgress: (source) => this.onProgress(source),
    });
    runner.start();
    return runner;
  }

  private onProgress(runner: ProjectionRunner): void {
    if (runner === this.pendingRunner) {
      if (runner.state === 'failed')
        this.settleRebuild(new ProjectionRebuildAborted(this.name, runner.failure!.message));
      else if (runner.state === 'live') void this.trySwitch(runner);
    }
    this.deps.onProgress();
  }

  /** Switches once the pending build has reached the head observed now (and the old build's checkpoint). */
  private async trySwitch(runner: ProjectionRunner): Promise<void> {
    if (this.switching) return;
    this.switching = true;
    try {
      const head = await this.deps.store.headPosition();
      const reached = runner.checkpoint ?? -1n;
      const caughtUp = reached >= (head ?? -1n) && reached >= (this.activeRunner?.checkpoint ?? -1n);
      if (caughtUp && runner === this.pendingRunner && runner.running && this.running)
        await this.switchOver(runner);
    } catch (error) {
      this.logger.error(`Switch of projection ${this.name} failed: ${(error as Error).message}`);
    } finally {
      this.switching = false;
    }
  }

  private async switchOver(runner: ProjectionRunner): Promise<void> {
    const old = this.active!;
    const oldRunner = this.activeRunner;
    // One synchronous step: queries calling tables() see either the old build or the new one, never a mix.
    this.deps.catalog.activate(runner.build, this.deps.clock.now());
    this.active = runner.build;
    this.activeRunner = runner;
    this.pending = null;
    this.pendingRunner = null;
    this.logger.log(
      `Projection ${describeBuild(runner.build)} now serves queries (was ${describeBuild(old)})`,
    );
    this.deps.onProgress();
    this.settleRebuild(null);
    await oldRunner?.stop();
    // Old tables are dropped, not kept: the log is the source of truth and a rebuild is always possible.
    const record = this.deps.catalog.build(old);
    if (record) this.deps.catalog.dropBuild(record);
  }

  private settleRebuild(error: Error | null): void {
    const waiters = this.rebuildWaiters;
    this.rebuildWaiters = [];
    for (const waiter of waiters) error ? waiter.reject(error) : waiter.resolve();
  }
}

const pick = (build: BuildId) => ({ version: build.version, generation: build.generation });
