import type { ScheduledTask, Scheduler } from '../../src/timers/scheduler';
import type { FixedClock } from '../support/fixed-clock';

/**
 * A scheduler that runs nothing until told: tests move its own time with `advance`. Given a fixed clock,
 * it moves that clock along, so each task runs at the instant it was due.
 */
export class ManualScheduler implements Scheduler {
  private nowMs = 0;

  constructor(private readonly clock?: FixedClock) {}

  private tasks: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];

  schedule(callback: () => void, delayMs: number): ScheduledTask {
    const task = { at: this.nowMs + Math.max(0, delayMs), callback, cancelled: false };
    this.tasks.push(task);
    return {
      cancel: () => {
        task.cancelled = true;
      },
    };
  }

  /** Delays (from now) of the tasks still waiting, soonest first. */
  pending(): number[] {
    return this.live()
      .map((task) => task.at - this.nowMs)
      .sort((a, b) => a - b);
  }

  /** Moves time forward, running every task that falls due, in order. */
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      const next = this.live()
        .filter((task) => task.at <= until)
        .sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.clock?.advance(next.at - this.nowMs);
      this.nowMs = next.at;
      next.cancelled = true;
      next.callback();
    }
    this.clock?.advance(until - this.nowMs);
    this.nowMs = until;
  }

  private live() {
    this.tasks = this.tasks.filter((task) => !task.cancelled);
    return this.tasks;
  }
}
