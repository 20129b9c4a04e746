import type { StreamPoint } from '../audit/stream-point';
import { CliError } from './cli-output';

const ZONED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An ISO-8601 instant with a zone (`2026-03-01T09:00:00Z`); anything else is a clear error. */
export function parseInstant(value: string, flag: string): Date {
  const time = Date.parse(value);
  if (!ZONED_INSTANT.test(value) || Number.isNaN(time))
    throw new CliError(
      `${flag} must be an ISO-8601 time with a zone, e.g. 2026-03-01T09:00:00Z (got "${value}")`,
    );
  return new Date(time);
}

/** A stream revision: a non-negative integer. */
export function parseRevision(value: string, flag: string): bigint {
  if (!/^\d+$/.test(value)) throw new CliError(`${flag} must be a revision (0, 1, ...) (got "${value}")`);
  return BigInt(value);
}

/** `--from/--to`: a revision (digits only) or an ISO time. */
export function parseStreamPoint(value: string, flag: string): StreamPoint {
  return /^\d+$/.test(value) ? { revision: BigInt(value) } : { time: parseInstant(value, flag) };
}
