import { INestApplication, LogLevel } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { v7 as uuidv7 } from 'uuid';
import type { AppConfig } from './config/app-config';
import { clientErrorHandler, useLingeringClose } from './http/connection-close';
import { useJsonBodyParser } from './http/json-body-parser';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function logLevels(config: Pick<AppConfig, 'logLevel'>): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1);
}

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  // Fastify's own logger stays off: Nest's Logger is the one log stream.
  return new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    logger: false,
    // Request ids become causation ids of commands: unique across restarts and instances, time-ordered.
    genReqId: () => uuidv7(),
    clientErrorHandler,
  });
}

/** Everything main.ts and the API tests share, so tests exercise the same pipeline as production. */
/** Nest's own body parsers stay off: `useJsonBodyParser` is the only one (see there why). */
export const APP_OPTIONS = { bodyParser: false } as const;

export async function configureApp(app: NestFastifyApplication): Promise<void> {
  useJsonBodyParser(app);
  useLingeringClose(app);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  setupOpenApi(app);
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
