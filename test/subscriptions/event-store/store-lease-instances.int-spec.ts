import { systemClock } from '../../../src/domain/clock';
import { EsdbEventStore } from '../../../src/event-store/esdb/esdb-event-store';
import { FencedOut } from '../../../src/subscriptions/checkpoint-store';
import { StoreCheckpointStore } from '../../../src/subscriptions/event-store/store-checkpoint-store';
import { StoreLeaseStore } from '../../../src/subscriptions/event-store/store-lease-store';
import { type Lease, LeaseLost } from '../../../src/subscriptions/lease';
import { LeaseKeeper } from '../../../src/subscriptions/lease-keeper';
import { backgroundScheduler, type ScheduledTask, type Scheduler } from '../../../src/timers/scheduler';
import { type EsdbWireFake, startEsdbWireFake } from '../../support/esdb-wire-fake/esdb-wire-fake';
import { SequentialIds } from '../../support/fixed-clock';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => ({ now: new Date(T0 + ms), ttlMs: 10_000 });

/** Three API instances on one EventStoreDB (the wire fake), each with its own client and ids. */
describe('store-backed leases and checkpoints shared by instances on one EventStoreDB', () => {
  let fake: EsdbWireFake;
  let clients: EsdbEventStore[];
  beforeEach(async () => {
    fake = await startEsdbWireFake();
    clients = [1, 2, 3].map(() => EsdbEventStore.fromConnectionString(fake.connectionString));
  });
  afterEach(async () => {
    for (const client of clients) await client.close();
    await fake.stop();
  }, 20_000);
  const instance = (n: number) => {
    const ids = new SequentialIds(`0000000${n}`);
    return {
      leases: new StoreLeaseStore(clients[n], ids),
      checkpoints: new StoreCheckpointStore(clients[n], ids),
    };
  };

  it('instances racing over separate connections: exactly one wins each lease', async () => {
    const instances = [0, 1, 2].map(instance);
    const names = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    const results = await Promise.all(
      names.flatMap((name) => instances.map((one, n) => one.leases.acquire(name, `instance-${n}`, at(0)))),
    );
    const winners = new Map<string, Lease[]>();
    for (const lease of results)
      if (lease) winners.set(lease.name, [...(winners.get(lease.name) ?? []), lease]);
    expect(names.map((name) => winners.get(name)?.length)).toEqual(names.map(() => 1));
  });

  it('takeover on another instance fences the old holder out of the shared checkpoint', async () => {
    const [a, b] = [instance(0), instance(1)];
    const leaseA = (await a.leases.acquire('reactors', 'a', at(0)))!;
    await a.checkpoints.save('reactors', 100n, { fence: leaseA.token });
    const leaseB = (await b.leases.acquire('reactors', 'b', at(10_000)))!;
    expect(leaseB.token).toBeGreaterThan(leaseA.token);
    await b.checkpoints.save('reactors', (await b.checkpoints.load('reactors'))!, { fence: leaseB.token });

    await expect(a.leases.renew(leaseA, at(10_001))).rejects.toBeInstanceOf(LeaseLost);
    await expect(a.checkpoints.save('reactors', 130n, { fence: leaseA.token })).rejects.toBeInstanceOf(
      FencedOut,
    );
    expect(await b.checkpoints.load('reactors')).toBe(100n);
  });

  it('real time, real gRPC: a keeper whose process dies is taken over by another keeper', async () => {
    // Short timings so that the test takes seconds; bounds are generous for a loaded machine.
    const timings = { ttlMs: 1_500, renewEveryMs: 300, safetyMarginMs: 500, retryEveryMs: 100 };
    const keeper = (n: number, scheduler: Scheduler, onAcquired: (lease: Lease) => void) =>
      new LeaseKeeper({
        leases: instance(n).leases,
        name: 'reactors',
        holder: `instance-${n}`,
        clock: systemClock,
        scheduler,
        onAcquired,
        ...timings,
      });
    const schedulerA = new FreezableScheduler();
    const acquiredA = deferred<Lease>();
    const acquiredB = deferred<Lease>();
    const a = keeper(0, schedulerA, acquiredA.resolve);
    a.start();
    const leaseA = await acquiredA.promise;
    const b = keeper(1, backgroundScheduler, acquiredB.resolve);
    b.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(b.status().state).toBe('standby');
      schedulerA.freeze(); // kill -9
      const killedAt = Date.now();
      const leaseB = await acquiredB.promise;
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      expect(leaseB.token).toBeGreaterThan(leaseA.token);
    } finally {
      await b.stop();
      await a.stop(); // the "dead" one, so that no call of it is in flight when the clients close
    }
  }, 20_000);
});

/** Node's timers, until the process "dies": then nothing it scheduled runs any more. */
class FreezableScheduler implements Scheduler {
  private frozen = false;
  private readonly pending = new Set<ScheduledTask>();
  schedule(callback: () => void, delayMs: number): ScheduledTask {
    const task = backgroundScheduler.schedule(() => {
      this.pending.delete(task);
      if (!this.frozen) callback();
    }, delayMs);
    this.pending.add(task);
    return {
      cancel: () => {
        this.pending.delete(task);
        task.cancel();
      },
    };
  }
  freeze(): void {
    this.frozen = true;
    for (const task of this.pending) task.cancel();
    this.pending.clear();
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
