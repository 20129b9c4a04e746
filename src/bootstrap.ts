import { INestApplication, LogLevel } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { v7 as uuidv7 } from 'uuid';
import type { AppConfig } from './config/app-config';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';
import { registerWritePositionHeader } from './http/write-position.hooks';

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
  });
}

/** Everything main.ts and the API tests share, so tests exercise the same pipeline as production. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  // The API speaks JSON only: without this, a text/plain body reaches validation as a string.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  registerWritePositionHeader(app.getHttpAdapter().getInstance());
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
