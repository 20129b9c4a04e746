import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem-details';
import type { ReadinessService } from './readiness.service';

/** Served whatever the readiness: probes, scrapes and the API's documentation. */
const UNGATED = /^\/(health|metrics|docs|openapi\.json)(\/|\?|$)/;

/**
 * Until the instance is ready (and again from SIGTERM on) every API route answers 503 problem+json with
 * `Retry-After`. A Fastify `onRequest` hook, so it runs before Nest's guards: a valid key whose tenant
 * directory row is still being rebuilt gets 503 (retry), never 401 (give up).
 */
export function installReadinessGate(fastify: FastifyInstance, readiness: ReadinessService): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (readiness.isServing() || UNGATED.test(request.url)) return done();
    const stopping = readiness.isShuttingDown();
    // A client of a stopping instance should reconnect (to another instance): close its connection.
    if (stopping) reply.header('connection', 'close');
    reply
      .status(503)
      .header('retry-after', stopping ? '5' : '1')
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({
        ...(stopping
          ? problem(503, 'shutting_down', 'This instance is shutting down; retry', {
              detail: 'Retry on another instance or after the restart',
            })
          : problem(503, 'not_ready', 'This instance is starting; retry', {
              detail: 'Read models are catching up with the event store (see /health/ready)',
            })),
        instance: request.url,
      });
  });
}
