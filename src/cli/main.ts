import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { ConfigError, loadAppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { StoreUnavailable } from '../event-store/event-store.errors';
import { CliModule } from './cli.module';

/** `npm run cli -- <command> --help`. Reads the same environment as the server (EVENT_STORE, DATA_DIR...). */
async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  await CommandFactory.run(CliModule.forRoot(config), {
    cliName: 'npm run cli --',
    logger: ['error', 'warn'],
    errorHandler: (error) => fail(error),
    serviceErrorHandler: (error) => fail(error),
  });
}

function fail(error: unknown): never {
  const known =
    error instanceof ConfigError || error instanceof StoreUnavailable || error instanceof DomainError;
  const message = error instanceof Error ? error.message : String(error);
  // commander reports --help and --version as "errors" with exit code 0.
  const exitCode = (error as { exitCode?: number }).exitCode;
  if (exitCode === 0) process.exit(0);
  console.error(`switchboard: ${known ? message : ((error as Error)?.stack ?? message)}`);
  process.exit(1);
}

main().catch(fail);
