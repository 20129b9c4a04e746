import type { LoggerService } from '@nestjs/common';
import type { Clock } from '../domain/clock';
import type { EventStore } from '../event-store/event-store';
import { ProjectionRebuildAborted } from './projection.errors';
import type { ProjectionCatalog } from './projection-catalog';
import type { ProjectionRunner } from './projection-runner';
import { isCaughtUp } from './projection-status';
import { type BuildId, describeBuild } from './table-names';

/** The slot's side of a switch: what runs now, and how to make the pending runner the active one. */
export interface SwitchHost {
  current(): {
    active: BuildId;
    activeRunner: ProjectionRunner | null;
    pendingRunner: ProjectionRunner | null;
  };
  isRunning(): boolean;
  promote(runner: ProjectionRunner): void;
}

/**
 * The blue/green hand-over of one projection. The pending build takes over once `$all` holds nothing after
 * its checkpoint (it reached the head as observed at that moment) and it has passed the active build's checkpoint (so the served checkpoint never goes
 * back and a read-your-writes answer stays true). The old runner is then stopped and its tables DROPPED:
 * the log is the source of truth and any version can be built again; keeping them would only grow the file.
 */
export class ProjectionSwitch {
  private task: Promise<void> | null = null;
  private recheck = false;
  private waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(
    private readonly name: string,
    private readonly store: EventStore,
    private readonly catalog: ProjectionCatalog,
    private readonly clock: Clock,
    private readonly logger: LoggerService,
    private readonly host: SwitchHost,
  ) {}

  /** Resolves at the next switch; rejects if the pending build fails or the engine stops first. */
  whenSwitched(): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  onPendingProgress(runner: ProjectionRunner): void {
    if (runner.state === 'failed') {
      this.abort(new ProjectionRebuildAborted(this.name, runner.failure?.message ?? 'failed'));
    } else if (runner.state === 'live') {
      if (this.task) {
        // The check in flight may be about an older checkpoint: check again once it is done.
        this.recheck = true;
        return;
      }
      this.task = this.checkUntilSettled(runner).finally(() => {
        this.task = null;
      });
    }
  }

  /** Waits for a switch in flight (the engine is stopping). */
  async settled(): Promise<void> {
    await this.task;
  }

  abort(error: Error): void {
    this.settle(error);
  }

  private async checkUntilSettled(runner: ProjectionRunner): Promise<void> {
    do {
      this.recheck = false;
      await this.trySwitch(runner);
    } while (this.recheck && runner === this.host.current().pendingRunner);
  }

  private async trySwitch(runner: ProjectionRunner): Promise<void> {
    try {
      const reachedHead = await isCaughtUp(this.store, runner.checkpoint);
      const { activeRunner, pendingRunner } = this.host.current();
      const reached = runner.checkpoint ?? -1n;
      const caughtUp = reachedHead && reached >= (activeRunner?.checkpoint ?? -1n);
      if (caughtUp && runner === pendingRunner && runner.running && this.host.isRunning()) {
        await this.switchOver(runner);
      }
    } catch (error) {
      this.logger.error(`Switch of projection ${this.name} failed: ${(error as Error).message}`);
    }
  }

  private async switchOver(runner: ProjectionRunner): Promise<void> {
    const { active: old, activeRunner: oldRunner } = this.host.current();
    // One synchronous step: a query calling tables() sees the old build or the new one, never a mix.
    this.catalog.activate(runner.build, this.clock.now());
    this.host.promote(runner);
    this.logger.log(
      `Projection ${describeBuild(runner.build)} now serves queries (was ${describeBuild(old)})`,
    );
    this.settle(null);
    await oldRunner?.stop();
    const record = this.catalog.build(old);
    if (record) this.catalog.dropBuild(record);
  }

  private settle(error: Error | null): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) error ? waiter.reject(error) : waiter.resolve();
  }
}
