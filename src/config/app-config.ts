import { resolve } from 'node:path';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { ensureWritableFolder, FolderNotWritable } from './writable-folder';

/** The environment the server reads, validated once at start. Names are the documented ones (README). */
class Environment {
  @IsIn(['sqlite', 'esdb'], { message: 'EVENT_STORE must be "sqlite" (default) or "esdb"' })
  EVENT_STORE = 'sqlite';

  @IsOptional()
  @Matches(/^esdb(\+discover)?:\/\/[^\s/?#]+(\/)?(\?[^\s#]*)?$/, {
    message: 'EVENTSTORE_CONNECTION_STRING must look like esdb://host:2113?tls=false',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  @IsString()
  DATA_DIR = './data';

  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'ADMIN_API_KEY must be at least 24 characters' })
  ADMIN_API_KEY?: string;

  @Type(() => Number)
  @IsInt({ message: 'BODY_LIMIT_BYTES must be an integer' })
  @Min(1024)
  BODY_LIMIT_BYTES = 64 * 1024;

  @Type(() => Number)
  @IsInt({ message: 'READ_YOUR_WRITES_TIMEOUT_MS must be an integer' })
  @Min(0)
  READ_YOUR_WRITES_TIMEOUT_MS = 2000;

  @Transform(({ value }) => (value === undefined ? undefined : String(value).toLowerCase()))
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @IsIn(['simulated', 'external'], {
    message: 'MEDIA_GATEWAY_MODE must be "simulated" (default) or "external"',
  })
  MEDIA_GATEWAY_MODE = 'simulated';

  @Type(() => Number)
  @IsInt({ message: 'SIM_RING_DELAY_MS must be an integer' })
  @Min(0)
  SIM_RING_DELAY_MS = 1000;

  @Type(() => Number)
  @IsInt({ message: 'SIM_ANSWER_DELAY_MS must be an integer' })
  @Min(0)
  SIM_ANSWER_DELAY_MS = 3000;
}

export interface AppConfig {
  eventStore: 'sqlite' | 'esdb';
  eventStoreConnectionString?: string;
  /** Folder of the embedded store and the read models; `:memory:` keeps both in memory (tests). */
  dataDir: string;
  port: number;
  host: string;
  adminApiKey?: string;
  bodyLimitBytes: number;
  readYourWritesTimeoutMs: number;
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /**
   * `simulated` (default): the built-in media gateway dials and reports signals. `external`: nothing is
   * dialled from here; a media layer follows the event feed and reports through the signals endpoints.
   * Optional so hand-built configs (tests) get the defaults.
   */
  mediaGatewayMode?: 'simulated' | 'external';
  /** Simulated gateway: dial request → ringing, and ringing → answered. */
  simRingDelayMs?: number;
  simAnswerDelayMs?: number;
}

/** A configuration problem the operator must fix; main prints its message as one line and exits. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function loadAppConfig(env: Record<string, string | undefined>): AppConfig {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(Environment, defined, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { whitelist: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new ConfigError(`Invalid configuration: ${messages.join('; ')}`);
  }
  if (parsed.EVENT_STORE === 'esdb' && !parsed.EVENTSTORE_CONNECTION_STRING) {
    throw new ConfigError('Invalid configuration: EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING');
  }
  const dataDir = parsed.DATA_DIR === ':memory:' ? ':memory:' : resolve(parsed.DATA_DIR);
  if (dataDir !== ':memory:') ensureDataDir(dataDir);
  return {
    eventStore: parsed.EVENT_STORE as AppConfig['eventStore'],
    eventStoreConnectionString: parsed.EVENTSTORE_CONNECTION_STRING,
    dataDir,
    port: parsed.PORT,
    host: parsed.HOST,
    adminApiKey: parsed.ADMIN_API_KEY,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    readYourWritesTimeoutMs: parsed.READ_YOUR_WRITES_TIMEOUT_MS,
    logLevel: parsed.LOG_LEVEL as AppConfig['logLevel'],
    mediaGatewayMode: parsed.MEDIA_GATEWAY_MODE as AppConfig['mediaGatewayMode'],
    simRingDelayMs: parsed.SIM_RING_DELAY_MS,
    simAnswerDelayMs: parsed.SIM_ANSWER_DELAY_MS,
  };
}

function ensureDataDir(folder: string): void {
  try {
    ensureWritableFolder(folder);
  } catch (error) {
    if (error instanceof FolderNotWritable) throw new ConfigError(`DATA_DIR ${error.message}`);
    throw error;
  }
}
