import type { Clock } from '../domain/clock';
import type { Scheduler } from '../timers/scheduler';
import type { Lease, LeaseStore } from './lease';

export interface LeaseKeeperOptions {
  leases: LeaseStore;
  /** The lease, e.g. `reactors`. */
  name: string;
  /** Unique per process and start (e.g. host, pid and a random id), never reused by a restart. */
  holder: string;
  clock: Clock;
  /**
   * Default 10 s: a holder killed with `kill -9` is taken over after at most ttl + one retry interval
   * (10 s + 1.25 s), within the 15 s the runtime promises.
   */
  ttlMs?: number;
  /** Default ttl / 3: two renewals may fail before the lease is at risk. */
  renewEveryMs?: number;
  /** Pause between attempts while someone else holds it or the store fails; jittered ±25 %. Default 1 s. */
  retryEveryMs?: number;
  /** This holder gives the lease up this long BEFORE it expires (see `scheduleDeadline`). Default ttl / 5. */
  safetyMarginMs?: number;
  scheduler?: Scheduler;
  /** For the jitter; tests pass a fixed one. */
  random?: () => number;
  /** This instance now holds the lease: start the work it guards, fenced with `lease.token`. */
  onAcquired?: (lease: Lease) => void;
  /**
   * The lease is gone (or going, on `stop()`): stop the work at once. On `stop()` the release waits for a
   * returned promise, so that the next holder starts only after this one stopped.
   */
  onLost?: (loss: LeaseLoss) => void | Promise<void>;
}

export type LeaseLossReason = 'taken-over' | 'unreachable' | 'stopped';

export interface LeaseLoss {
  reason: LeaseLossReason;
  detail: string;
}

/** `standby`: trying to acquire (someone else holds it, or the store fails). */
export type LeaseKeeperState = 'idle' | 'standby' | 'holding' | 'stopped';

export interface LeaseKeeperStatus {
  name: string;
  holder: string;
  state: LeaseKeeperState;
  lease: Lease | null;
  /** The last failure of the store, cleared by the next success. */
  lastError: string | null;
}
