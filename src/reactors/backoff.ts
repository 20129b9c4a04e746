export interface BackoffOptions {
  /** Delay before the first retry. */
  initialMs: number;
  /** No delay grows beyond this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": between half and all of `initial · 2^(attempt-1)`, capped.
 * The jitter keeps many instances (or many reactors) that failed together from retrying in lockstep; the
 * floor of one half keeps a retry from coming back at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random) {
  const exponential = options.initialMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(options.maxMs, exponential);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/** A sleep that `wake()` ends early (used on stop, so shutdown never waits out a backoff). */
export class InterruptibleSleep {
  private wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  wake(): void {
    for (const done of [...this.wakers]) done();
  }
}
