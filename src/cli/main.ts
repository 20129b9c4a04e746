import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { ConfigError, loadAppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { StoreUnavailable } from '../event-store/event-store.errors';
import { ImportConflict } from '../operator/event-import';
import { ExportFileRejected } from '../operator/export-file';
import { ProjectionFailed } from '../operator/local-read-models';
import { CliModule } from './cli.module';
import { CliError } from './cli-output';

/** Errors that are the operator's to fix: their message alone, no stack. */
const KNOWN_ERRORS = [
  ConfigError,
  StoreUnavailable,
  DomainError,
  CliError,
  ExportFileRejected,
  ImportConflict,
];

/** `npm run cli -- <command> --help`. Reads the same environment as the server (EVENT_STORE, DATA_DIR...). */
async function main(): Promise<void> {
  const config = loadAppConfig(process.env);
  // Commander names the program after its script file (`main`); operators type `switchboard`.
  process.argv[1] = 'switchboard';
  await CommandFactory.run(CliModule.forRoot(config), {
    cliName: 'switchboard',
    logger: ['error', 'warn'],
    errorHandler: (error) => fail(error),
    serviceErrorHandler: (error) => fail(error),
  });
}

function fail(error: unknown): never {
  const known = KNOWN_ERRORS.some((type) => error instanceof type);
  const message = error instanceof Error ? error.message : String(error);
  // commander reports --help and --version as "errors" with exit code 0.
  const exitCode = (error as { exitCode?: number }).exitCode;
  if (exitCode === 0) process.exit(0);
  console.error(`switchboard: ${known ? message : ((error as Error)?.stack ?? message)}`);
  process.exit(1);
}

main().catch(fail);
