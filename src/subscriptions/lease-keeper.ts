import { backgroundScheduler, type ScheduledTask, type Scheduler } from '../timers/scheduler';
import { type Lease, LeaseLost } from './lease';
import type {
  LeaseKeeperOptions,
  LeaseKeeperState,
  LeaseKeeperStatus,
  LeaseLossReason,
} from './lease-keeper-options';

export type {
  LeaseKeeperOptions,
  LeaseKeeperState,
  LeaseKeeperStatus,
  LeaseLoss,
  LeaseLossReason,
} from './lease-keeper-options';

/**
 * Keeps one lease for this instance: acquires it (retrying with jitter while another instance holds it),
 * renews it while held, and reports every change through `onAcquired` / `onLost`. Plain TypeScript.
 */
export class LeaseKeeper {
  private readonly ttlMs: number;
  private readonly renewEveryMs: number;
  private readonly retryEveryMs: number;
  private readonly safetyMarginMs: number;
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private state: LeaseKeeperState = 'idle';
  private held: Lease | null = null;
  private lastError: string | null = null;
  private nextAttempt: ScheduledTask | null = null;
  private deadline: ScheduledTask | null = null;
  /** Bumped on every transition: a store answer that arrives after one belongs to the past and is dropped. */
  private epoch = 0;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(this.ttlMs / 3);
    this.retryEveryMs = options.retryEveryMs ?? 1_000;
    this.safetyMarginMs = options.safetyMarginMs ?? Math.floor(this.ttlMs / 5);
    this.scheduler = options.scheduler ?? backgroundScheduler;
    this.random = options.random ?? Math.random;
    if (
      !(
        this.safetyMarginMs > 0 &&
        this.renewEveryMs > 0 &&
        this.renewEveryMs < this.ttlMs - this.safetyMarginMs
      )
    ) {
      throw new RangeError(
        `lease ${options.name}: need 0 < renewEveryMs (${this.renewEveryMs}) < ttlMs (${this.ttlMs}) - safetyMarginMs (${this.safetyMarginMs})`,
      );
    }
  }

  /** Starts trying to acquire. A keeper runs once: after `stop()`, build a new one. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'standby';
    this.schedule(0, () => this.tryAcquire());
  }

  /** The lease while this instance holds it (and is not past its safety margin), else null. */
  current(): Lease | null {
    return this.held;
  }

  status(): LeaseKeeperStatus {
    const { name, holder } = this.options;
    return { name, holder, state: this.state, lease: this.held, lastError: this.lastError };
  }

  /**
   * Stops trying; a held lease is reported lost (`stopped`), then released so another instance takes over at
   * once. Waits first for a store call in flight (bounded by the adapter's own timeout), so that a late answer
   * cannot renew what was just released.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.epoch++;
    this.clearTimers();
    await this.inFlight;
    const lease = this.held;
    this.held = null;
    if (lease === null) return;
    try {
      await this.options.onLost?.({ reason: 'stopped', detail: 'the keeper was stopped' });
    } catch (error) {
      // Shutting down anyway: still hand over rather than make the others wait for the expiry.
      this.lastError = `onLost failed: ${String(error)}`;
    }
    await this.options.leases.release(lease).catch((error: unknown) => {
      // Not released: the next holder waits for the lease to expire instead.
      this.lastError = `release failed: ${String(error)}`;
    });
  }

  private async tryAcquire(): Promise<void> {
    const epoch = this.epoch;
    const { leases, name, holder, clock } = this.options;
    let lease: Lease | null;
    try {
      lease = await leases.acquire(name, holder, { now: clock.now(), ttlMs: this.ttlMs });
      this.lastError = null;
    } catch (error) {
      if (epoch === this.epoch) this.failed(error, () => this.tryAcquire());
      return;
    }
    if (this.state === 'stopped') {
      // Stopped meanwhile: give back what was granted too late to use.
      if (lease !== null) await leases.release(lease).catch(() => undefined);
      return;
    }
    if (lease === null) {
      this.schedule(this.jittered(this.retryEveryMs), () => this.tryAcquire());
      return;
    }
    this.epoch++;
    this.hold(lease);
    this.options.onAcquired?.(lease);
  }

  private async renew(): Promise<void> {
    const epoch = this.epoch;
    const lease = this.held;
    if (lease === null) return;
    try {
      const renewed = await this.options.leases.renew(lease, {
        now: this.options.clock.now(),
        ttlMs: this.ttlMs,
      });
      this.lastError = null;
      if (epoch === this.epoch) this.hold(renewed);
    } catch (error) {
      if (epoch !== this.epoch) return;
      if (error instanceof LeaseLost) this.lose('taken-over', error.message);
      // The store may be unreachable: keep the lease (and retry) until the deadline says otherwise.
      else this.failed(error, () => this.renew());
    }
  }

  private hold(lease: Lease): void {
    this.held = lease;
    this.state = 'holding';
    this.clearTimers();
    this.scheduleDeadline(lease);
    this.schedule(this.renewEveryMs, () => this.renew());
  }

  /**
   * A holder that cannot renew (store unreachable, or answering too slowly) declares the lease lost
   * `safetyMarginMs` BEFORE it expires, measured on its own clock from the `now` it sent, which is no later
   * than when the store recorded the expiry. Another instance can only take over AT the expiry, judged on
   * its clock. So as long as the clocks differ by less than the margin and this process is not frozen
   * (GC pause, SIGSTOP) for longer than it, the old holder has stopped working before a new one starts.
   * When that assumption breaks, the fencing token is the second line: the new holder's checkpoint saves
   * carry a greater token, and the old holder's late saves are refused (`FencedOut`).
   */
  private scheduleDeadline(lease: Lease): void {
    const delay = lease.expiresAt.getTime() - this.safetyMarginMs - this.options.clock.now().getTime();
    this.deadline = this.scheduler.schedule(
      () => {
        this.deadline = null;
        this.lose(
          'unreachable',
          `not renewed by ${new Date(lease.expiresAt.getTime() - this.safetyMarginMs).toISOString()}: ${this.lastError ?? 'no answer'}`,
        );
      },
      Math.max(0, delay),
    );
  }

  private lose(reason: LeaseLossReason, detail: string): void {
    this.epoch++;
    this.held = null;
    this.state = 'standby';
    this.clearTimers();
    this.schedule(this.jittered(this.retryEveryMs), () => this.tryAcquire());
    void Promise.resolve(this.options.onLost?.({ reason, detail })).catch(() => undefined);
  }

  private failed(error: unknown, retry: () => Promise<void>): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.schedule(this.jittered(this.retryEveryMs), retry);
  }

  /**
   * One store call at a time: an attempt due while a call still hangs (a stalled store, until its timeout)
   * waits for another interval. `stop()` waits for the call in flight.
   */
  private schedule(delayMs: number, attempt: () => Promise<void>): void {
    this.nextAttempt = this.scheduler.schedule(() => {
      this.nextAttempt = null;
      if (this.inFlight !== null) {
        this.schedule(this.jittered(this.retryEveryMs), attempt);
        return;
      }
      const running = attempt()
        .catch((error: unknown) => {
          // Only a callback can throw here; the keeper goes on.
          this.lastError = `callback failed: ${String(error)}`;
        })
        .finally(() => {
          this.inFlight = null;
        });
      this.inFlight = running;
    }, delayMs);
  }

  private clearTimers(): void {
    this.nextAttempt?.cancel();
    this.deadline?.cancel();
    this.nextAttempt = null;
    this.deadline = null;
  }

  private jittered(ms: number): number {
    return Math.round(ms * (0.75 + 0.5 * this.random()));
  }
}
