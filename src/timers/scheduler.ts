/**
 * Wall-clock callbacks behind an interface, so the timer worker, the simulated media gateway and the lease
 * keeper can be driven deterministically in tests (a manual scheduler) while production uses Node's timers.
 */
export interface Scheduler {
  schedule(callback: () => void, delayMs: number): ScheduledTask;
}

export interface ScheduledTask {
  cancel(): void;
}

export const SCHEDULER = Symbol('SCHEDULER');

/** Node's setTimeout can wait at most 2^31-1 ms; longer delays would fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

export const realScheduler: Scheduler = {
  schedule(callback, delayMs) {
    const handle = setTimeout(callback, Math.min(MAX_TIMEOUT_MS, Math.max(0, delayMs)));
    return { cancel: () => clearTimeout(handle) };
  },
};

/** Node's timers, unref'd: a pending lease renewal or retry never keeps a process alive that is shutting down. */
export const backgroundScheduler: Scheduler = {
  schedule(callback, delayMs) {
    const handle = setTimeout(callback, Math.min(MAX_TIMEOUT_MS, Math.max(0, delayMs))).unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
