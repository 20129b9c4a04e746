import { StoreUnavailable } from '../../../src/event-store/event-store.errors';
import type { Lease, LeaseStore, LeaseTiming } from '../../../src/subscriptions/lease';

export type StoreMode = 'up' | 'down' | 'stalled';

/**
 * One process's view of a shared lease store, whose connection the test can cut: `down` fails every call
 * with StoreUnavailable at once, `stalled` leaves every call unanswered until the mode changes (then it
 * fails, as a timed-out call does). Counts calls per method.
 */
export class SwitchableLeaseStore implements LeaseStore {
  mode: StoreMode = 'up';
  readonly calls = { acquire: 0, renew: 0, release: 0, current: 0 };
  private readonly stalledCalls: Array<() => void> = [];

  constructor(private readonly inner: LeaseStore) {}

  setMode(mode: StoreMode): void {
    this.mode = mode;
    if (mode !== 'stalled') for (const fail of this.stalledCalls.splice(0)) fail();
  }

  acquire(name: string, holder: string, timing: LeaseTiming): Promise<Lease | null> {
    this.calls.acquire++;
    return this.guard(() => this.inner.acquire(name, holder, timing));
  }

  renew(lease: Lease, timing: LeaseTiming): Promise<Lease> {
    this.calls.renew++;
    return this.guard(() => this.inner.renew(lease, timing));
  }

  release(lease: Lease): Promise<void> {
    this.calls.release++;
    return this.guard(() => this.inner.release(lease));
  }

  current(name: string, now: Date): Promise<Lease | null> {
    this.calls.current++;
    return this.guard(() => this.inner.current(name, now));
  }

  private guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.mode === 'down') return Promise.reject(new StoreUnavailable('lease store unreachable (test)'));
    if (this.mode === 'stalled') {
      return new Promise<T>((_, reject) => {
        this.stalledCalls.push(() => reject(new StoreUnavailable('lease store call timed out (test)')));
      });
    }
    return call();
  }
}
