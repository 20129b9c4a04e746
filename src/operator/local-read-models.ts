import { Logger } from '@nestjs/common';
import type { EventStore } from '../event-store/event-store';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReadModelDatabase } from '../projections/read-model-database';
import { type ProjectionStatusView, projectionStatusView } from './projection-status-view';
import { readModelProjections } from './read-model-catalog';

/** A projection's handler threw while the CLI was building it: the message names it and the event. */
export class ProjectionFailed extends Error {
  override readonly name = 'ProjectionFailed';
}

/** Every read model over one read-model file, run by an engine of this process (not the server's). */
export class LocalReadModels {
  readonly database: ReadModelDatabase;
  readonly engine: ProjectionEngine;
  readonly names: string[];

  constructor(
    private readonly store: EventStore,
    filename: string,
  ) {
    this.database = new ReadModelDatabase(filename);
    // Quiet unless something fails: the CLI prints its own progress.
    const logger = new Logger('read-models');
    this.engine = new ProjectionEngine(store, this.database, { batchSize: 2000, logger });
    const projections = readModelProjections();
    for (const projection of projections) this.engine.register(projection);
    this.names = projections.map((projection) => projection.name);
  }

  /**
   * Starts every projection and resolves once all have applied the whole log (lag 0), or rejects as soon
   * as one fails. `onProgress` gets the slowest position against the head.
   */
  async catchUp(
    onProgress: (position: bigint, head: bigint) => void = () => {},
  ): Promise<ProjectionStatusView[]> {
    this.engine.start();
    for (;;) {
      const [statuses, head] = await Promise.all([this.engine.status(), this.store.headPosition()]);
      const failed = statuses.find((status) => status.state === 'failed');
      if (failed)
        throw new ProjectionFailed(
          `projection ${failed.name} failed at event ${failed.error?.eventId} (position ${failed.error?.position}): ${failed.error?.message}`,
        );
      const slowest = statuses.reduce(
        (min, s) => ((s.checkpoint ?? 0n) < min ? (s.checkpoint ?? 0n) : min),
        head ?? 0n,
      );
      onProgress(slowest, head ?? 0n);
      const behind = statuses.some(
        (s) => s.lag.positions > 0n || s.state === 'rebuilding' || s.state === 'catching_up',
      );
      if (!behind) return statuses.map((status) => projectionStatusView(status, head));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    await this.engine.stop();
    await this.database.close();
  }
}
