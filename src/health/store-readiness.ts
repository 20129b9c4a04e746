import type { EventStore } from '../event-store/event-store';
import type { ReadinessCheck, ReadinessContributor } from './readiness-contributor';

/** The event store answers `headPosition()` (bounded by the readiness service's check timeout). */
export class StoreReadiness implements ReadinessContributor {
  readonly name = 'store';

  constructor(private readonly store: EventStore) {}

  async check(): Promise<ReadinessCheck> {
    const started = performance.now();
    try {
      const head = await this.store.headPosition();
      return {
        ready: true,
        details: { head: head?.toString() ?? null, latency_ms: Math.round(performance.now() - started) },
      };
    } catch (error) {
      return { ready: false, details: { error: (error as Error).message } };
    }
  }
}
