import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AuthenticatedRequest } from '../http/principal';
import { correlationIdOf } from '../http/request-metadata';
import { ROOT_LOGGER } from './log-options';
import { MetricsService } from './metrics.service';
import { traceIdOf, validTraceparent } from './trace-context';

/** Requests that matched no route share one label, so random URLs cannot blow up metric cardinality. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * One JSON line and one latency observation per request, written when the response has been sent:
 * request id, route template, status, latency, tenant (once the key was resolved) and correlation id.
 */
@Injectable()
export class RequestObserver {
  private readonly logger: Logger;

  constructor(
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly metrics: MetricsService,
  ) {
    this.logger = root.child({ context: 'HTTP' });
  }

  install(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, _reply, done) => {
      // pino-http (Nest's request-scoped logger) names the request by the raw request's id: use ours.
      (request.raw as { id?: string }).id = request.id;
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      this.observe(request, reply);
      done();
    });
  }

  private observe(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const latencyMs = reply.elapsedTime;
    this.metrics.observeHttp(request.method, route, reply.statusCode, latencyMs / 1000);
    const traceparent = validTraceparent(request.headers.traceparent);
    this.logger.info(
      {
        req_id: request.id,
        method: request.method,
        route,
        url: request.url,
        status: reply.statusCode,
        latency_ms: Math.round(latencyMs * 100) / 100,
        tenant: (request as AuthenticatedRequest).principal?.customerId ?? null,
        correlation_id: correlationIdOf(request),
        ...(traceparent ? { trace_id: traceIdOf(traceparent) } : {}),
      },
      'request completed',
    );
  }
}
