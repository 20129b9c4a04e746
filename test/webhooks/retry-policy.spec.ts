import {
  DEFAULT_RETRY_SCHEDULE_SEC,
  decideAttempt,
  FAILING_DISABLE_MS,
} from '../../src/webhooks/retry-policy';
import type { SendResult } from '../../src/webhooks/webhook-sender';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const result = (statusCode: number | null, retryAfterSec: number | null = null): SendResult => ({
  statusCode,
  latencyMs: 3,
  error: statusCode !== null && statusCode < 300 ? null : 'failed',
  retryAfterSec,
  responseSnippet: null,
});
const context = (attempt: number, failingSince: string | null = null, random = () => 0.5) => ({
  attempt,
  schedule: DEFAULT_RETRY_SCHEDULE_SEC,
  now: NOW,
  failingSince,
  random,
});
const delayOf = (decision: ReturnType<typeof decideAttempt>) =>
  decision.nextAttemptAt === null ? null : (decision.nextAttemptAt.getTime() - NOW.getTime()) / 1000;

describe('webhook retry policy', () => {
  it('2xx succeeds; 3xx and 5xx retry on the spec schedule', () => {
    expect(decideAttempt(result(204), context(1)).outcome).toBe('succeeded');
    expect(delayOf(decideAttempt(result(302), context(1)))).toBe(5);
    expect(delayOf(decideAttempt(result(500), context(2)))).toBe(300);
    expect(delayOf(decideAttempt(result(null), context(9)))).toBe(86400);
  });

  it('jitters by at most 10 %', () => {
    expect(
      delayOf(
        decideAttempt(
          result(500),
          context(3, null, () => 0),
        ),
      ),
    ).toBe(1620);
    expect(
      delayOf(
        decideAttempt(
          result(500),
          context(3, null, () => 1),
        ),
      ),
    ).toBe(1980);
  });

  it('fails for good after the last attempt of the schedule', () => {
    expect(decideAttempt(result(500), context(DEFAULT_RETRY_SCHEDULE_SEC.length))).toEqual({
      outcome: 'failed',
      nextAttemptAt: null,
      disable: null,
    });
  });

  it('410 disables the endpoint', () => {
    expect(decideAttempt(result(410), context(1))).toMatchObject({ outcome: 'failed', disable: 'gone' });
  });

  it('honours Retry-After on 429, 502, 503 and 504 only, capped at a day', () => {
    for (const status of [429, 502, 503, 504])
      expect(delayOf(decideAttempt(result(status, 42), context(1)))).toBe(42);
    expect(delayOf(decideAttempt(result(500, 42), context(1)))).toBe(5);
    expect(delayOf(decideAttempt(result(503, 10 ** 7), context(1)))).toBe(86400);
  });

  it('disables an endpoint that has been failing for 5 days', () => {
    const since = new Date(NOW.getTime() - FAILING_DISABLE_MS).toISOString();
    const justUnder = new Date(NOW.getTime() - FAILING_DISABLE_MS + 1000).toISOString();
    expect(decideAttempt(result(500), context(2, since))).toMatchObject({
      outcome: 'failed',
      disable: 'failing',
    });
    expect(decideAttempt(result(500), context(2, justUnder)).outcome).toBe('retrying');
  });
});
