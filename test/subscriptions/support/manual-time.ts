import type { ScheduledTask, Scheduler } from '../../../src/timers/scheduler';
import { FixedClock } from '../../support/fixed-clock';

interface PendingTimer {
  id: number;
  at: number;
  callback: () => void;
  scheduler: ManualScheduler;
}

/**
 * A fixed clock and any number of schedulers that only move when the test says so. Each process under test
 * gets its own scheduler, so that one of them can be frozen (kill -9) while the others keep running.
 */
export class ManualTime {
  readonly clock: FixedClock;
  private readonly timers = new Map<number, PendingTimer>();
  private nextId = 1;

  constructor(start = '2026-01-01T00:00:00.000Z') {
    this.clock = new FixedClock(start);
  }

  scheduler(): ManualScheduler {
    return new ManualScheduler(this);
  }

  /** Milliseconds since the start. */
  elapsed(since: Date): number {
    return this.clock.now().getTime() - since.getTime();
  }

  /** Moves the clock by `ms`, firing every timer due on the way in time order, letting each settle. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now().getTime() + ms;
    await settle();
    for (;;) {
      const due = [...this.timers.values()]
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers.delete(due.id);
      this.clock.set(new Date(Math.max(due.at, this.clock.now().getTime())));
      due.callback();
      await settle();
    }
    this.clock.set(new Date(target));
  }

  /** @internal */
  add(scheduler: ManualScheduler, callback: () => void, delayMs: number): number {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.clock.now().getTime() + Math.max(0, delayMs), callback, scheduler });
    return id;
  }

  /** @internal */
  remove(id: number): void {
    this.timers.delete(id);
  }

  /** @internal */
  dropAll(scheduler: ManualScheduler): void {
    for (const timer of this.timers.values()) if (timer.scheduler === scheduler) this.timers.delete(timer.id);
  }
}

export class ManualScheduler implements Scheduler {
  private frozen = false;
  constructor(private readonly time: ManualTime) {}

  schedule(callback: () => void, delayMs: number): ScheduledTask {
    if (this.frozen) return { cancel: () => undefined };
    const id = this.time.add(this, callback, delayMs);
    return { cancel: () => this.time.remove(id) };
  }

  /** The process is gone (kill -9): nothing it scheduled runs, nothing new is scheduled. */
  freeze(): void {
    this.frozen = true;
    this.time.dropAll(this);
  }
}

/** Lets promise chains started by a timer (store calls, callbacks) run to their end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
}
