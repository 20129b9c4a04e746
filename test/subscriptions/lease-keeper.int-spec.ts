import type { Lease, LeaseStore } from '../../src/subscriptions/lease';
import { LeaseKeeper, type LeaseKeeperOptions, type LeaseLoss } from '../../src/subscriptions/lease-keeper';
import {
  type SubscriptionBackend,
  sqliteInMemory,
  storeOverSqliteEventStore,
} from './contract/subscription-backends';
import { ManualTime } from './support/manual-time';
import { SwitchableLeaseStore } from './support/switchable-lease-store';

const NAME = 'reactors';
const TTL_MS = 10_000; // the defaults, spelled out for the arithmetic in the tests
const MARGIN_MS = 2_000;

// On both kinds of adapter (the wire fake answers in real time, which a hand-driven clock cannot wait for).
describe.each([sqliteInMemory, storeOverSqliteEventStore])('LeaseKeeper on $name', (factory) => {
  let backend: SubscriptionBackend;
  let shared: LeaseStore;
  let time: ManualTime;
  const running: Array<{ keeper: LeaseKeeper; store: SwitchableLeaseStore }> = [];

  beforeEach(async () => {
    backend = await factory.open();
    shared = backend.ports.leases;
    time = new ManualTime();
  });
  afterEach(async () => {
    for (const { keeper, store } of running.splice(0)) {
      store.setMode('up'); // stop() waits for a call in flight, which a stalled store never answers
      await keeper.stop();
    }
    await backend.close();
  });

  /** One instance: its own scheduler (freezable) and its own view of the shared store (cuttable). */
  function instance(holder: string, options: Partial<LeaseKeeperOptions> = {}) {
    const store = new SwitchableLeaseStore(shared);
    const scheduler = time.scheduler();
    const acquired: Array<{ at: Date; lease: Lease }> = [];
    const lost: Array<{ at: Date; loss: LeaseLoss }> = [];
    const { onAcquired, onLost, ...rest } = options;
    const keeper = new LeaseKeeper({
      leases: store,
      name: NAME,
      holder,
      clock: time.clock,
      scheduler,
      random: () => 0.5, // no jitter: retries exactly every second
      onAcquired: (lease) => {
        acquired.push({ at: time.clock.now(), lease });
        onAcquired?.(lease);
      },
      onLost: (loss) => {
        lost.push({ at: time.clock.now(), loss });
        return onLost?.(loss);
      },
      ...rest,
    });
    running.push({ keeper, store });
    keeper.start();
    return { keeper, store, scheduler, acquired, lost };
  }

  it('acquires a free lease at once and reports it', async () => {
    const a = instance('a');
    await time.advance(0);
    expect(a.acquired).toHaveLength(1);
    expect(a.keeper.current()).toEqual(a.acquired[0].lease);
    expect(a.keeper.status()).toMatchObject({ state: 'holding', holder: 'a', lastError: null });
    expect(await shared.current(NAME, time.clock.now())).toEqual(a.acquired[0].lease);
  });

  it('renews every ttl/3 with the same token, so nobody else gets it', async () => {
    const a = instance('a');
    const b = instance('b');
    await time.advance(60_000);
    expect(a.acquired).toHaveLength(1);
    expect(a.lost).toHaveLength(0);
    expect(a.store.calls.renew).toBe(Math.floor(60_000 / Math.floor(TTL_MS / 3)));
    expect(a.keeper.current()).toMatchObject({ token: a.acquired[0].lease.token });
    expect(a.keeper.current()!.expiresAt.getTime()).toBeGreaterThan(time.clock.now().getTime());
    // The other one stands by, retrying about once a second.
    expect(b.acquired).toHaveLength(0);
    expect(b.keeper.status().state).toBe('standby');
    expect(b.store.calls.acquire).toBeGreaterThanOrEqual(55);
    expect(b.store.calls.acquire).toBeLessThanOrEqual(61);
  });

  it('reports the loss when another holder took over, then stands by', async () => {
    const a = instance('a');
    await time.advance(0);
    const lease = a.keeper.current()!;
    await shared.release(lease); // e.g. an operator forced a handover
    const other = await shared.acquire(NAME, 'c', { now: time.clock.now(), ttlMs: TTL_MS });
    await time.advance(Math.floor(TTL_MS / 3));
    expect(a.lost.map((l) => l.loss.reason)).toEqual(['taken-over']);
    expect(a.keeper.current()).toBeNull();
    expect(a.keeper.status().state).toBe('standby');
    expect(await shared.current(NAME, time.clock.now())).toEqual(other);
  });

  it('keeps the lease through a store outage until expiry minus the margin, then declares it lost', async () => {
    const a = instance('a');
    await time.advance(0);
    const expiresAt = a.keeper.current()!.expiresAt.getTime();
    a.store.setMode('down');
    await time.advance(expiresAt - MARGIN_MS - 1 - time.clock.now().getTime());
    expect(a.keeper.current()).not.toBeNull();
    expect(a.keeper.status().lastError).toMatch(/unreachable/);
    await time.advance(1);
    expect(a.lost).toEqual([
      { at: new Date(expiresAt - MARGIN_MS), loss: expect.objectContaining({ reason: 'unreachable' }) },
    ]);
    expect(a.keeper.current()).toBeNull();

    // The store answers again and nobody took the lease meanwhile: the same holder gets the same token.
    a.store.setMode('up');
    await time.advance(1_000);
    expect(a.acquired.map((x) => x.lease.token)).toEqual([
      a.acquired[0].lease.token,
      a.acquired[0].lease.token,
    ]);
  });

  it('a renewal that never answers loses the lease at the same deadline', async () => {
    const a = instance('a');
    await time.advance(0);
    const expiresAt = a.keeper.current()!.expiresAt.getTime();
    a.store.setMode('stalled');
    await time.advance(expiresAt - MARGIN_MS - time.clock.now().getTime());
    expect(a.lost.map((l) => [l.at.getTime(), l.loss.reason])).toEqual([
      [expiresAt - MARGIN_MS, 'unreachable'],
    ]);
    a.store.setMode('up'); // the stalled call now fails; the keeper goes on acquiring
    await time.advance(2_000);
    expect(a.keeper.status().state).toBe('holding');
  });

  it('a partitioned holder stops before anyone else can take over', async () => {
    const a = instance('a');
    await time.advance(0);
    const b = instance('b');
    a.store.setMode('down'); // a cannot reach the store; b can
    await time.advance(20_000);
    expect(a.lost).toHaveLength(1);
    expect(b.acquired).toHaveLength(1);
    expect(a.lost[0].at.getTime()).toBeLessThanOrEqual(b.acquired[0].at.getTime() - MARGIN_MS);
    expect(b.acquired[0].lease.token).toBeGreaterThan(a.acquired[0].lease.token);
  });

  it('stop() reports the loss, waits for the work to stop, then releases: the next one takes over at once', async () => {
    const order: string[] = [];
    const a = instance('a', {
      onLost: async () => {
        await new Promise((resolve) => setImmediate(resolve)); // the work takes a moment to stop
        order.push('a stopped working');
      },
    });
    await time.advance(0);
    const b = instance('b', { onAcquired: () => order.push('b acquired') });
    await time.advance(1_500);
    const stoppedAt = time.clock.now();
    await a.keeper.stop();
    expect(a.keeper.status()).toMatchObject({ state: 'stopped', lease: null });
    expect(await shared.current(NAME, time.clock.now())).toBeNull();
    await time.advance(1_000);
    expect(order).toEqual(['a stopped working', 'b acquired']);
    expect(b.acquired[0].at.getTime() - stoppedAt.getTime()).toBeLessThanOrEqual(1_000);
    expect(b.keeper.current()!.token).toBeGreaterThan(a.acquired[0].lease.token);
  });

  it('after kill -9 of the holder, another takes over within ttl + one retry (under 15 s)', async () => {
    const a = instance('a');
    await time.advance(0);
    const b = instance('b', { random: () => 1 }); // the longest jittered retry
    await time.advance(5_000); // a renewed at 3.33 s
    a.scheduler.freeze(); // kill -9: no more renewals, no release
    const killedAt = time.clock.now();
    await time.advance(15_000);
    expect(b.acquired).toHaveLength(1);
    const takeover = time.elapsed(killedAt) - time.elapsed(b.acquired[0].at);
    expect(takeover).toBeLessThanOrEqual(TTL_MS + 1_250);
    expect(b.acquired[0].lease.token).toBeGreaterThan(a.acquired[0].lease.token);
  });

  it('stopping while standing by releases nothing and stops trying', async () => {
    const a = instance('a');
    await time.advance(0);
    const b = instance('b');
    await time.advance(2_000);
    await b.keeper.stop();
    const attempts = b.store.calls.acquire;
    await time.advance(10_000);
    expect(b.store.calls).toMatchObject({ acquire: attempts, release: 0 });
    expect(a.keeper.status().state).toBe('holding');
  });

  it('refuses timings where the lease would be lost before its first renewal', () => {
    expect(
      () =>
        new LeaseKeeper({
          leases: shared,
          name: NAME,
          holder: 'a',
          clock: time.clock,
          ttlMs: 3_000,
          renewEveryMs: 2_500,
        }),
    ).toThrow(RangeError);
  });
});
