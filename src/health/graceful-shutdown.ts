import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ReadinessService } from './readiness.service';

/** Requests still being answered, so shutdown can wait for them. */
export class InFlightRequests {
  private count = 0;
  private readonly idle = new Set<() => void>();

  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (_request, reply, done) => {
      this.count += 1;
      // `close` fires once per response, whether it finished or the client went away.
      reply.raw.once('close', () => this.release());
      done();
    });
  }

  get size(): number {
    return this.count;
  }

  /** Resolves true once no request is in flight, false after the timeout. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (drained: boolean) => {
        clearTimeout(timer);
        this.idle.delete(onIdle);
        resolve(drained);
      };
      const onIdle = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idle.add(onIdle);
    });
  }

  private release(): void {
    this.count -= 1;
    if (this.count === 0) for (const onIdle of [...this.idle]) onIdle();
  }
}

export const IN_FLIGHT_DRAIN_MS = 10_000;
/** Time for `app.close()` (engines, checkpoints, store) after the drain. */
const CLOSE_GRACE_MS = 15_000;

/**
 * SIGTERM / SIGINT: readiness false and new requests 503 at once, requests in flight get up to 10 s to
 * finish, then the application closes (engines stop after saving their checkpoints, the store closes last)
 * and the process exits 0. Replaces Nest's `enableShutdownHooks`, which would close at once and cut
 * requests in flight.
 */
export function installGracefulShutdown(
  app: NestFastifyApplication,
  inFlight: InFlightRequests,
  drainMs = IN_FLIGHT_DRAIN_MS,
): void {
  const logger = new Logger('Shutdown');
  let started = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    app.get(ReadinessService).beginShutdown();
    logger.log(`${signal}: not ready; waiting for ${inFlight.size} request(s) in flight`);
    // Whatever hangs (a request ignoring the drain, a store that never closes), the process must end.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, drainMs + CLOSE_GRACE_MS).unref();
    const drained = await inFlight.drained(drainMs);
    if (!drained) logger.warn(`${inFlight.size} request(s) still in flight after ${drainMs} ms; closing`);
    try {
      await app.close();
      logger.log('stopped');
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).stack ?? error}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, (s) => void shutdown(s));
}
