import { Logger } from '@nestjs/common';
import { type DomainError, notFound } from '../domain/domain-error';
import type { EventStore } from '../event-store/event-store';
import { UnknownProjection } from '../projections/projection.errors';
import type { ProjectionEngine } from '../projections/projection-engine';
import { type ProjectionStatusView, projectionStatusView } from './projection-status-view';

const unknownProjection = (name: string): DomainError =>
  notFound('projection.not_found', `No projection named ${name}`, { name });

/**
 * What operators do with projections, over one engine: the server's (admin API) or one the CLI opens on a
 * data folder. Only projections are touched: a rebuild replays `$all` into fresh tables and dispatches no
 * command, so no reaction, timer, webhook or feed event comes of it.
 */
export class ProjectionOperations {
  private readonly logger = new Logger(ProjectionOperations.name);

  constructor(
    private readonly engine: ProjectionEngine,
    private readonly store: EventStore,
  ) {}

  async list(): Promise<ProjectionStatusView[]> {
    const [statuses, head] = await Promise.all([this.engine.status(), this.store.headPosition()]);
    return statuses.map((status) => projectionStatusView(status, head));
  }

  async one(name: string): Promise<ProjectionStatusView> {
    const found = (await this.list()).find((view) => view.name === name);
    if (!found) throw unknownProjection(name);
    return found;
  }

  /**
   * Starts a blue/green rebuild and answers at once (the old tables keep serving); `done` settles when the
   * new build has taken over. A failed build is logged and shows in `list()` as the failure.
   */
  async startRebuild(name: string): Promise<{ status: ProjectionStatusView; done: Promise<void> }> {
    await this.one(name);
    const done = this.engine.rebuild(name);
    done.catch((error: Error) => this.logger.error(`rebuild of ${name} failed: ${error.message}`));
    return { status: await this.one(name), done };
  }

  async retry(name: string): Promise<ProjectionStatusView> {
    try {
      await this.engine.restart(name);
    } catch (error) {
      if (error instanceof UnknownProjection) throw unknownProjection(name);
      throw error;
    }
    return this.one(name);
  }
}
