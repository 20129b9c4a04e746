import type { EventStore } from '../event-store/event-store';
import type { ProjectionEngine, ProjectionStatus } from '../projections/projection-engine';
import type { ReadinessCheck, ReadinessContributor } from './readiness-contributor';

/**
 * Every read model has caught up to the head the store had when this instance first looked (so an API
 * answer never comes from a read model still rebuilding the past). Once reached it stays reached: later
 * lag under load is normal and is waited for per request (read-your-writes). A failed projection makes the
 * instance not ready until it is restarted, since its reads would stay stale for good.
 */
export class ProjectionsReadiness implements ReadinessContributor {
  readonly name = 'projections';
  /** Head seen by the first check; `undefined` until the store answered once. */
  private target: bigint | null | undefined;
  private caughtUp = false;

  constructor(
    private readonly store: EventStore,
    private readonly engine: Pick<ProjectionEngine, 'status'>,
  ) {}

  async check(): Promise<ReadinessCheck> {
    if (this.target === undefined) this.target = await this.store.headPosition();
    const statuses = await this.engine.status();
    const target = this.target;
    if (!this.caughtUp) this.caughtUp = statuses.every((status) => reached(status, target));
    const failed = statuses.filter((status) => status.state === 'failed').map((status) => status.name);
    return {
      ready: this.caughtUp && failed.length === 0,
      details: {
        start_head: target?.toString() ?? null,
        caught_up: this.caughtUp,
        ...(failed.length > 0 ? { failed } : {}),
        read_models: Object.fromEntries(statuses.map((status) => [status.name, describe(status)])),
      },
    };
  }
}

function reached(status: ProjectionStatus, target: bigint | null): boolean {
  if (status.state === 'failed') return false;
  if (target === null || status.lag.positions === 0n) return true;
  return status.checkpoint !== null && status.checkpoint >= target;
}

function describe(status: ProjectionStatus): Record<string, unknown> {
  return {
    state: status.state,
    version: status.activeVersion,
    checkpoint: status.checkpoint?.toString() ?? null,
    lag_events: Number(status.lag.positions),
    lag_ms: status.lag.ms,
    ...(status.error ? { error: status.error.message } : {}),
  };
}
