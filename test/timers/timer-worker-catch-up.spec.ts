import type { CommandExecutor } from '../../src/command-handling/command-executor';
import type { DueTimerRow, DueTimers } from '../../src/timers/due-timers';
import type { TimerFirings } from '../../src/timers/timer-firings';
import { TimerRegistry, type TimerSource } from '../../src/timers/timer-source';
import { TimerWorker } from '../../src/timers/timer-worker';
import { FixedClock } from '../support/fixed-clock';
import { ManualScheduler } from './manual-scheduler';

const NOW = '2026-01-01T01:00:00.000Z';

const source: TimerSource<{ type: 'Expire' }> = {
  name: 'fake',
  streamPrefix: 'fake-',
  decider: { initialState: {}, decide: () => [], evolve: (state) => state },
  dueTimers: () => [],
  command: () => ({ type: 'Expire' }),
};

const overdue: DueTimerRow = {
  streamId: 'fake-1',
  source: 'fake',
  kind: 'dial_timeout',
  dueAt: '2026-01-01T00:01:00.000Z',
  dueMs: Date.parse('2026-01-01T00:01:00.000Z'),
  customerId: 'customer-a',
  correlationId: 'corr-1',
  state: '{}',
};

/** A worker over a timers projection that is `lag` positions behind while catching up. */
function worker(lag: { positions: bigint }) {
  const clock = new FixedClock(new Date(NOW));
  const scheduler = new ManualScheduler(clock);
  const executed: string[] = [];
  const registry = new TimerRegistry();
  registry.register(source);
  const timers = {
    catchUpLag: async () => lag.positions,
    dueBy: () => [overdue],
    nextAfter: () => null,
  } as unknown as DueTimers;
  const firings = { hasFired: () => false, record: () => undefined, pruneBefore: () => 0 };
  const executor = {
    execute: async ({ streamId }: { streamId: string }) => {
      executed.push(streamId);
      return { result: 'ok' };
    },
  } as unknown as CommandExecutor;
  const timerWorker = new TimerWorker(
    { executor, registry, timers, firings: firings as unknown as TimerFirings, clock, scheduler },
    { autoStart: false },
  );
  return { timerWorker, scheduler, executed };
}

describe('timer worker while the timers projection catches up', () => {
  it('fires nothing while the projection is far behind, and fires once it has caught up', async () => {
    const lag = { positions: 500_000n };
    const { timerWorker, scheduler, executed } = worker(lag);
    timerWorker.start();

    // The first pass fires what is listed (its first firing is not delayed by a status query), then looks.
    expect(await timerWorker.fireDue()).toBe(1);
    expect(await timerWorker.fireDue()).toBe(0);
    expect(await timerWorker.fireDue()).toBe(0);
    expect(executed).toEqual(['fake-1']);
    expect(scheduler.pending()).toEqual([1_000]); // looks again soon, not at the 60 s poll

    lag.positions = 0n;
    expect(await timerWorker.fireDue()).toBe(1);
    expect(executed).toEqual(['fake-1', 'fake-1']);
    expect(scheduler.pending()).toEqual([60_000]);
    await timerWorker.stop();
  });

  it('fires as before when the projection is only a little behind', async () => {
    const { timerWorker, executed } = worker({ positions: 20_000n });
    expect(await timerWorker.fireDue()).toBe(1);
    expect(await timerWorker.fireDue()).toBe(1);
    expect(executed).toEqual(['fake-1', 'fake-1']);
  });
});
