import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp, createFastifyAdapter, logLevels } from './bootstrap';
import { ConfigError, loadAppConfig } from './config/app-config';
import { StoreUnavailable } from './event-store/event-store.errors';
import { ReadModelDatabaseUnavailable } from './projections/read-model-database';

async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    // Silent while modules start: when start-up fails (unreadable store), Nest would log a stack trace;
    // main prints one line instead. Logging is switched on once the application exists.
    { ...APP_OPTIONS, logger: false, abortOnError: false },
  );
  app.useLogger(new ConsoleLogger({ logLevels: logLevels(config) }));
  await configureApp(app);
  await app.listen(config.port, config.host);
  new Logger('Switchboard').log(
    `listening on http://${config.host}:${config.port} (event store: ${config.eventStore}, data: ${config.dataDir})`,
  );
}

main().catch((error: unknown) => {
  // Operator mistakes (bad env, unreadable store) get one clear line, not a stack trace.
  if (
    error instanceof ConfigError ||
    error instanceof StoreUnavailable ||
    error instanceof ReadModelDatabaseUnavailable
  ) {
    process.stderr.write(`switchboard: ${error.message}\n`);
  } else {
    process.stderr.write(
      `switchboard: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exit(1);
});
