import type { Params } from 'nestjs-pino';
import { type DestinationStream, type LevelWithSilent, type Logger, pino, stdTimeFunctions } from 'pino';
import type { AppConfig } from '../config/app-config';
import { currentLogFields } from './log-context';

/** The process' one pino logger: Nest's `Logger` (through nestjs-pino) and the request lines. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Nest's level names (LOG_LEVEL keeps them) to pino's. */
const PINO_LEVEL: Record<AppConfig['logLevel'], LevelWithSilent> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** JSON lines for machines; pino-pretty when a person watches (a TTY) or asks (`LOG_FORMAT=pretty`). */
export function logFormatOf(
  config: Pick<AppConfig, 'logFormat'>,
  stdoutIsTty = Boolean(process.stdout.isTTY),
): 'json' | 'pretty' {
  return config.logFormat ?? (stdoutIsTty ? 'pretty' : 'json');
}

/**
 * `destination`: where the lines go instead of stdout (tests read them); it implies JSON. Every line gets
 * the fields of the unit of work it is written in (`log-context.ts`: the call, conference, correlation).
 */
export function createRootLogger(
  config: Pick<AppConfig, 'logLevel' | 'logFormat'>,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: PINO_LEVEL[config.logLevel],
    base: { service: 'switchboard' },
    timestamp: stdTimeFunctions.isoTime,
    // A copy: pino merges the line's own fields into what the mixin returns.
    mixin: () => ({ ...currentLogFields() }),
  };
  if (destination) return pino(options, destination);
  const pretty = logFormatOf(config) === 'pretty';
  return pino({
    ...options,
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
          },
        }
      : {}),
  });
}

/**
 * nestjs-pino on the root logger. pino-http's own request logging stays off: `request-log.ts` writes the
 * one line per request, with the route and tenant that pino-http (a raw Node middleware) cannot see.
 */
export function logOptions(root: Logger): Params {
  return {
    pinoHttp: {
      logger: root,
      autoLogging: false,
      // Logs written inside a request carry only its id (Fastify's, copied onto the raw request).
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'req_id' },
    },
  };
}
