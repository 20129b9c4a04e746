import type { ExclusiveWorkRunner } from '../subscriptions/exclusive-work';
import type { SharedAllFeed } from '../subscriptions/shared-feed';
import type { ReadinessCheck, ReadinessContributor } from './readiness-contributor';

/**
 * Reports who runs the exclusive work and the shared feed; never holds traffic back: a standby instance
 * (another holds the lease) serves the API as well as the holder does.
 */
export class LeaseReadiness implements ReadinessContributor {
  readonly name = 'runtime';

  constructor(
    private readonly exclusive: Pick<ExclusiveWorkRunner, 'status'>,
    private readonly feed: Pick<SharedAllFeed, 'status'>,
  ) {}

  async check(): Promise<ReadinessCheck> {
    const lease = this.exclusive.status();
    const feed = this.feed.status();
    return {
      ready: true,
      details: {
        lease: {
          name: lease.name,
          state: lease.state,
          holder: lease.holder,
          token: lease.lease?.token.toString() ?? null,
          expires_at: lease.lease?.expiresAt.toISOString() ?? null,
          ...(lease.lastError ? { last_error: lease.lastError } : {}),
        },
        feed: {
          position: feed.position?.toString() ?? null,
          live_consumers: feed.live,
          catching_up: feed.catchingUp,
          failures: feed.failures,
        },
      },
    };
  }
}
