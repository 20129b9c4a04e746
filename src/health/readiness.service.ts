import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { ReadinessCheck, ReadinessContributor } from './readiness-contributor';

export interface ReadinessReport {
  ready: boolean;
  parts: Record<string, ReadinessCheck>;
}

/** How often start-up readiness is re-checked until the instance first becomes ready. */
const STARTUP_POLL_MS = 100;
/** A part that does not answer in time (a store that accepts connections but never replies) is not ready. */
export const CHECK_TIMEOUT_MS = 1_000;

/**
 * Whether this instance serves API traffic. It opens the gate once, the first time every contributor is
 * ready after start, and closes it for good when shutdown begins. In between, `/health/ready` reports the
 * live state of every part (a load balancer may route away on a 503), but the gate stays open: a store
 * outage already answers 503 per command, and reads from caught-up read models stay correct.
 */
@Injectable()
export class ReadinessService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Readiness');
  private readonly contributors = new Map<string, ReadinessContributor>();
  private serving = false;
  private shuttingDown = false;
  private poll: NodeJS.Timeout | undefined;

  register(contributor: ReadinessContributor): void {
    this.contributors.set(contributor.name, contributor);
  }

  /** True while the API answers requests (after start-up readiness, before shutdown). */
  isServing(): boolean {
    return this.serving && !this.shuttingDown;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** SIGTERM: readiness false and the API gate closed from now on. */
  beginShutdown(): void {
    this.shuttingDown = true;
    clearTimeout(this.poll);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.contributors.values()].map(async (contributor) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
            CHECK_TIMEOUT_MS,
          );
        });
        try {
          return [contributor.name, await Promise.race([contributor.check(), timeout])] as const;
        } catch (error) {
          return [contributor.name, { ready: false, details: { error: (error as Error).message } }] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const parts: Record<string, ReadinessCheck> = Object.fromEntries(entries);
    if (this.shuttingDown) parts.shutdown = { ready: false, details: { shutting_down: true } };
    const ready = Object.values(parts).every((part) => part.ready);
    // Whoever learns first that the instance is ready opens the gate: a client that saw /health/ready
    // answer 200 must not get not_ready from the next request while the start-up poll sleeps.
    if (ready) this.serving = true;
    return { ready, parts };
  }

  /** Looks once before the server listens (an empty or caught-up store serves at once), then polls. */
  async onApplicationBootstrap(): Promise<void> {
    await this.pollUntilReady();
  }

  onModuleDestroy(): void {
    this.beginShutdown();
  }

  private async pollUntilReady(): Promise<void> {
    if (this.shuttingDown) return;
    const report = await this.report();
    if (report.ready) {
      this.serving = true;
      this.logger.log('ready: serving API traffic');
      return;
    }
    this.poll = setTimeout(() => void this.pollUntilReady(), STARTUP_POLL_MS);
  }
}
