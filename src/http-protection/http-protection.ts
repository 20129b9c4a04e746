import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { HttpException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';

const BEARER = /^Bearer\s+(\S+)$/i;
/** Probes and scrapes are never limited: an orchestrator must always see the instance's health. */
const UNLIMITED = /^\/(health|metrics)(\/|\?|$)/;

/**
 * The rate-limit bucket: the API key (as a hash, so no secret is kept in the limiter's table) or, without
 * one, the client address. Per key means per tenant: a tenant's keys each get the limit.
 */
export function rateLimitKeyOf(request: Pick<FastifyRequest, 'headers' | 'ip'>): string {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match) return `ip:${request.ip}`;
  return `key:${createHash('sha256').update(match[1]).digest('base64url').slice(0, 22)}`;
}

/**
 * Security headers (helmet, with a CSP the Swagger UI at /docs works under), CORS only for configured
 * origins, and per-key rate limits answering 429 problem+json with `Retry-After`.
 */
export async function installHttpProtection(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI's page sets up its bundle with an inline script and styles; images include data: URIs.
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // The server often runs behind plain HTTP (local, inside a cluster): upgrading would break /docs.
        upgradeInsecureRequests: null,
      },
    },
  });
  if (config.corsOrigins && config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins,
      exposedHeaders: ['ETag', 'Location', 'Retry-After'],
    });
  }
  if (!config.rateLimitMax) return;
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowMs ?? 60_000,
    keyGenerator: rateLimitKeyOf,
    allowList: (request) => UNLIMITED.test(request.url),
    // Thrown from a Fastify hook, it still reaches Nest's problem-details filter: 429 `too_many_requests`.
    errorResponseBuilder: (_request, context) =>
      new HttpException(
        `At most ${context.max} requests per ${context.after} for this API key; retry in ${Math.ceil(context.ttl / 1000)} s`,
        429,
      ),
  });
}
