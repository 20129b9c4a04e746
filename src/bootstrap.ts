import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { v7 as uuidv7 } from 'uuid';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { InFlightRequests } from './health/graceful-shutdown';
import { ReadinessService } from './health/readiness.service';
import { installReadinessGate } from './health/readiness-gate';
import { clientErrorHandler, useLingeringClose } from './http/connection-close';
import { useJsonBodyParser } from './http/json-body-parser';
import { frameworkErrorProblem, ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';
import { registerWritePositionHeader } from './http/write-position.hooks';
import { installHttpProtection } from './http-protection/http-protection';
import { installOpenTelemetry } from './observability/otel';
import { RequestObserver } from './observability/request-log';

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  // Fastify's own logger stays off: Nest's Logger is the one log stream.
  return new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    logger: false,
    // Request ids become causation ids of commands: unique across restarts and instances, time-ordered.
    genReqId: () => uuidv7(),
    clientErrorHandler,
    frameworkErrors: frameworkErrorProblem,
  });
}

/** Nest's own body parsers stay off: `useJsonBodyParser` is the only one (see there why). */
export const APP_OPTIONS = { bodyParser: false } as const;

/**
 * Everything main.ts and the API tests share, so tests exercise the same pipeline as production.
 * Returns the requests in flight, which graceful shutdown waits for.
 */
export async function configureApp(app: NestFastifyApplication): Promise<InFlightRequests> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const fastify = app.getHttpAdapter().getInstance();
  // First, so that its request span covers every hook below.
  if (config.otelEnabled) await installOpenTelemetry(fastify);
  useJsonBodyParser(app);
  useLingeringClose(app);
  // onRequest hooks run in this order, all before Nest's guards: count in-flight, name for the log, gate.
  const inFlight = new InFlightRequests();
  inFlight.install(fastify);
  registerWritePositionHeader(fastify);
  app.get(RequestObserver).install(fastify);
  installReadinessGate(fastify, app.get(ReadinessService));
  await installHttpProtection(app, config);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  return inFlight;
}

function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchboard')
      .setDescription('Event-sourced call and conference orchestration. Errors are RFC 9457 problem details.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}
