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

  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be "json" or "pretty"' })
  LOG_FORMAT?: string;

  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_MAX must be an integer (0 turns rate limiting off)' })
  @Min(0)
  RATE_LIMIT_MAX = 300_000;

  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_WINDOW_MS must be an integer' })
  @Min(1)
  RATE_LIMIT_WINDOW_MS = 60_000;

  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,]+)(\s*,\s*https?:\/\/[^\s,]+)*$/, {
    message: 'CORS_ORIGINS must be * or a comma-separated list of http(s) origins',
  })
  CORS_ORIGINS?: string;

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

  @Type(() => Number)
  @IsInt({ message: 'EVENT_FEED_HEARTBEAT_MS must be an integer' })
  @Min(10)
  EVENT_FEED_HEARTBEAT_MS = 15_000;

  @Type(() => Number)
  @IsInt({ message: 'EVENT_FEED_BOOKMARK_MS must be an integer' })
  @Min(10)
  EVENT_FEED_BOOKMARK_MS = 30_000;

  @Type(() => Number)
  @IsInt({ message: 'EVENT_FEED_CLIENT_BUFFER_EVENTS must be an integer' })
  @Min(1)
  EVENT_FEED_CLIENT_BUFFER_EVENTS = 1000;

  @Type(() => Number)
  @IsInt({ message: 'EVENT_FEED_CLIENT_BUFFER_BYTES must be an integer' })
  @Min(1024)
  EVENT_FEED_CLIENT_BUFFER_BYTES = 1024 * 1024;

  @IsOptional()
  @Matches(/^\d+(,\d+)*$/, {
    message: 'WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds, e.g. 0,5,300',
  })
  WEBHOOK_RETRY_SCHEDULE?: string;

  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_TARGETS = 'false';

  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_TIMEOUT_MS must be an integer' })
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 15_000;

  @IsIn(['true', 'false'], { message: 'OTEL_ENABLED must be true or false' })
  OTEL_ENABLED = 'false';
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'WEBHOOK_SECRET_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
  })
  WEBHOOK_SECRET_ENCRYPTION_KEY?: string;
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
  /** `json` lines, or `pretty` for people; unset: pretty when stdout is a TTY. */
  logFormat?: 'json' | 'pretty';
  /** Requests per API key (per client address without a key) per window; 0 = off. Unset: off (tests). */
  rateLimitMax?: number;
  rateLimitWindowMs?: number;
  /** Origins allowed by CORS (`*` for any); unset or empty: CORS off. */
  corsOrigins?: string[];
  /** Event feed (SSE): comment heartbeat and position bookmark intervals, per-client buffer bounds. */
  eventFeedHeartbeatMs?: number;
  eventFeedBookmarkMs?: number;
  eventFeedMaxBufferedEvents?: number;
  eventFeedMaxBufferedBytes?: number;
  /** Webhooks: seconds before each attempt (the first is usually 0); default the Standard Webhooks schedule. */
  webhookRetrySchedule?: number[];
  /** Allow loopback, private and link-local targets (tests, on-premises receivers). */
  webhookAllowPrivateTargets?: boolean;
  webhookTimeoutMs?: number;
  /** OpenTelemetry request spans through `@fastify/otel` (`src/observability/otel.ts`); off by default. */
  otelEnabled?: boolean;
  /** AES-256-GCM key (32 bytes, base64) sealing webhook and callback signing secrets in events; unset: plaintext. */
  webhookSecretEncryptionKey?: string;
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
    logFormat: parsed.LOG_FORMAT as AppConfig['logFormat'],
    rateLimitMax: parsed.RATE_LIMIT_MAX,
    rateLimitWindowMs: parsed.RATE_LIMIT_WINDOW_MS,
    corsOrigins: parsed.CORS_ORIGINS?.split(',').map((origin) => origin.trim()),
    eventFeedHeartbeatMs: parsed.EVENT_FEED_HEARTBEAT_MS,
    eventFeedBookmarkMs: parsed.EVENT_FEED_BOOKMARK_MS,
    eventFeedMaxBufferedEvents: parsed.EVENT_FEED_CLIENT_BUFFER_EVENTS,
    eventFeedMaxBufferedBytes: parsed.EVENT_FEED_CLIENT_BUFFER_BYTES,
    webhookRetrySchedule: parsed.WEBHOOK_RETRY_SCHEDULE?.split(',').map(Number),
    webhookAllowPrivateTargets: parsed.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
    webhookTimeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
    otelEnabled: parsed.OTEL_ENABLED === 'true',
    webhookSecretEncryptionKey: parsed.WEBHOOK_SECRET_ENCRYPTION_KEY,
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
