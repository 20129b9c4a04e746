import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp, createFastifyAdapter } from './bootstrap';
import { ConfigError, loadAppConfig } from './config/app-config';
import { StoreUnavailable } from './event-store/event-store.errors';
import { installGracefulShutdown } from './health/graceful-shutdown';
import { IdempotencyDatabaseUnavailable } from './http/idempotency/idempotency.store';
import { ReadModelDatabaseUnavailable } from './projections/read-model-database';
import { DataDirInUse } from './subscriptions/data-dir-lock';

async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    // Silent while modules start: when start-up fails (unreadable store), Nest would log a stack trace;
    // main prints one line instead. Logging is switched on once the application exists.
    { ...APP_OPTIONS, logger: false, abortOnError: false },
  );
  app.useLogger(app.get(PinoNestLogger));
  const inFlight = await configureApp(app);
  installGracefulShutdown(app, inFlight);
  await app.listen(config.port, config.host);
  new Logger('Switchboard').log(
    `listening on ${await app.getUrl()} (event store: ${config.eventStore}, data: ${config.dataDir})`,
  );
}

main().catch((error: unknown) => {
  // Operator mistakes (bad env, unreadable store) get one clear line, not a stack trace.
  if (
    error instanceof ConfigError ||
    error instanceof StoreUnavailable ||
    error instanceof ReadModelDatabaseUnavailable ||
    error instanceof IdempotencyDatabaseUnavailable ||
    error instanceof DataDirInUse
  ) {
    process.stderr.write(`switchboard: ${error.message}\n`);
  } else {
    process.stderr.write(
      `switchboard: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exit(1);
});
