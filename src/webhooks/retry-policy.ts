import type { AttemptOutcome } from './webhook-delivery';
import type { DisabledReason } from './webhook-endpoint';
import type { SendResult } from './webhook-sender';

/**
 * The Standard Webhooks schedule, in seconds before each attempt: immediately, 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 14 h, 20 h, 24 h (about three days in all). `WEBHOOK_RETRY_SCHEDULE` overrides it.
 */
export const DEFAULT_RETRY_SCHEDULE_SEC = [0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400];
/** An endpoint failing this long without one success is disabled. */
export const FAILING_DISABLE_MS = 5 * 24 * 60 * 60 * 1000;
/** Retry-After is honoured up to a day: a receiver cannot park a delivery forever. */
const MAX_RETRY_AFTER_SEC = 24 * 60 * 60;
/** ±10 %: receivers recovering from an outage are not hit by every sender in the same second. */
const JITTER = 0.1;
const HONOURS_RETRY_AFTER = new Set([429, 502, 503, 504]);

export interface AttemptDecision {
  outcome: AttemptOutcome;
  nextAttemptAt: Date | null;
  disable: DisabledReason | null;
}

export interface AttemptContext {
  /** 1 for the first attempt. */
  attempt: number;
  schedule: readonly number[];
  now: Date;
  /** When this endpoint's current run of failures began (before this attempt); null if it was healthy. */
  failingSince: string | null;
  random: () => number;
}

/** Pure: what one attempt's result means for the delivery and the endpoint. */
export function decideAttempt(result: SendResult, context: AttemptContext): AttemptDecision {
  const status = result.statusCode;
  if (status !== null && status >= 200 && status < 300)
    return { outcome: 'succeeded', nextAttemptAt: null, disable: null };
  if (status === 410) return { outcome: 'failed', nextAttemptAt: null, disable: 'gone' };
  const failingFor = context.failingSince ? context.now.getTime() - Date.parse(context.failingSince) : 0;
  if (failingFor >= FAILING_DISABLE_MS) return { outcome: 'failed', nextAttemptAt: null, disable: 'failing' };
  if (context.attempt >= context.schedule.length)
    return { outcome: 'failed', nextAttemptAt: null, disable: null };
  let delaySec = context.schedule[context.attempt] * (1 + JITTER * (2 * context.random() - 1));
  if (status !== null && HONOURS_RETRY_AFTER.has(status) && result.retryAfterSec !== null)
    delaySec = Math.min(result.retryAfterSec, MAX_RETRY_AFTER_SEC);
  return {
    outcome: 'retrying',
    nextAttemptAt: new Date(context.now.getTime() + Math.round(delaySec * 1000)),
    disable: null,
  };
}
