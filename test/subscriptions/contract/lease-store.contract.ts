import { v7 as uuidv7 } from 'uuid';
import { type Lease, LeaseLost, type LeaseStore } from '../../../src/subscriptions/lease';
import { rejectionOf } from '../../event-store/contract/contract-helpers';
import { openForSuite, type SubscriptionBackendFactory } from './subscription-backends';

const TTL_MS = 10_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
/** The fixed clock of every call: `at(ms)` is `ms` after the start. */
const at = (ms: number) => ({ now: new Date(T0 + ms), ttlMs: TTL_MS });
const newLeaseName = () => `reactors${uuidv7().replaceAll('-', '')}`;

async function leaseLost(promise: Promise<unknown>): Promise<LeaseLost> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(LeaseLost);
  return error as LeaseLost;
}

function granted(lease: Lease | null): Lease {
  if (lease === null) throw new Error('expected the lease to be granted, got null');
  return lease;
}

/** The behaviour every LeaseStore adapter shares (see the port, `lease.ts`). */
export function describeLeaseStoreContract(factory: SubscriptionBackendFactory): void {
  describe(`${factory.name}: lease store contract`, () => {
    const backend = openForSuite(factory);
    const store = (): LeaseStore => backend().ports.leases;

    it('grants a free lease until now + ttl, with a positive token', async () => {
      const name = newLeaseName();
      const lease = granted(await store().acquire(name, 'a', at(0)));
      expect(lease).toMatchObject({ name, holder: 'a', expiresAt: new Date(T0 + TTL_MS) });
      expect(lease.token).toBeGreaterThan(0n);
      expect(await store().current(name, at(1).now)).toEqual(lease);
    });

    it('has one holder while unexpired: others get null, up to the last millisecond', async () => {
      const name = newLeaseName();
      const lease = granted(await store().acquire(name, 'a', at(0)));
      expect(await store().acquire(name, 'b', at(0))).toBeNull();
      expect(await store().acquire(name, 'b', at(TTL_MS - 1))).toBeNull();
      expect(await store().current(name, at(TTL_MS - 1).now)).toEqual(lease);
    });

    it('lets the holder acquire again what it holds, keeping the token', async () => {
      const name = newLeaseName();
      const first = granted(await store().acquire(name, 'a', at(0)));
      const again = granted(await store().acquire(name, 'a', at(1_000)));
      expect(again).toEqual({ ...first, expiresAt: new Date(T0 + 1_000 + TTL_MS) });
    });

    it('hands an expired lease to the next contender with a greater token', async () => {
      const name = newLeaseName();
      const first = granted(await store().acquire(name, 'a', at(0)));
      const second = granted(await store().acquire(name, 'b', at(TTL_MS)));
      expect(second.holder).toBe('b');
      expect(second.token).toBeGreaterThan(first.token);
      expect(await store().current(name, at(TTL_MS).now)).toEqual(second);
    });

    it('renews: keeps the token, extends from the renewal time', async () => {
      const name = newLeaseName();
      const lease = granted(await store().acquire(name, 'a', at(0)));
      const renewed = await store().renew(lease, at(3_000));
      expect(renewed).toEqual({ ...lease, expiresAt: new Date(T0 + 3_000 + TTL_MS) });
      // Renewed: still held where the first grant would have expired.
      expect(await store().acquire(name, 'b', at(TTL_MS + 1))).toBeNull();
    });

    it('renews an expired lease nobody took, keeping the token', async () => {
      const name = newLeaseName();
      const lease = granted(await store().acquire(name, 'a', at(0)));
      const renewed = await store().renew(lease, at(TTL_MS + 5_000));
      expect(renewed.token).toBe(lease.token);
      expect(await store().current(name, at(TTL_MS + 5_000).now)).toEqual(renewed);
    });

    it('refuses to renew after a takeover with LeaseLost, and the new holder keeps it', async () => {
      const name = newLeaseName();
      const old = granted(await store().acquire(name, 'a', at(0)));
      const taken = granted(await store().acquire(name, 'b', at(TTL_MS)));
      const error = await leaseLost(store().renew(old, at(TTL_MS + 1)));
      expect(error.lease).toMatchObject({ name, holder: 'a', token: old.token });
      expect(await store().current(name, at(TTL_MS + 1).now)).toEqual(taken);
    });

    it('release hands over at once, with a greater token, and the released lease cannot be renewed', async () => {
      const name = newLeaseName();
      const lease = granted(await store().acquire(name, 'a', at(0)));
      await store().release(lease);
      expect(await store().current(name, at(1).now)).toBeNull();
      const next = granted(await store().acquire(name, 'b', at(1)));
      expect(next.token).toBeGreaterThan(lease.token);
      await leaseLost(store().renew(lease, at(2)));
    });

    it('never reuses a token: the same holder acquiring after its release gets a greater one', async () => {
      const name = newLeaseName();
      const first = granted(await store().acquire(name, 'a', at(0)));
      await store().release(first);
      await leaseLost(store().renew(first, at(1)));
      const second = granted(await store().acquire(name, 'a', at(2)));
      expect(second.token).toBeGreaterThan(first.token);
    });

    it('release by anyone but the holder is a no-op', async () => {
      const name = newLeaseName();
      const old = granted(await store().acquire(name, 'a', at(0)));
      const taken = granted(await store().acquire(name, 'b', at(TTL_MS)));
      await store().release(old); // the former holder, late
      await store().release({ ...taken, holder: 'c' }); // someone else quoting the token
      expect(await store().current(name, at(TTL_MS + 1).now)).toEqual(taken);
      expect(await store().renew(taken, at(TTL_MS + 2))).toMatchObject({ holder: 'b', token: taken.token });
    });

    it('current is null for an unknown lease and once the lease expired', async () => {
      const name = newLeaseName();
      expect(await store().current(name, at(0).now)).toBeNull();
      await store().acquire(name, 'a', at(0));
      expect(await store().current(name, at(TTL_MS).now)).toBeNull();
    });

    it('of N contenders acquiring a free lease at once, exactly one wins', async () => {
      const name = newLeaseName();
      const holders = Array.from({ length: 8 }, (_, i) => `contender-${i}`);
      const results = await Promise.all(holders.map((holder) => store().acquire(name, holder, at(0))));
      const winners = results.filter((lease) => lease !== null);
      expect(winners).toHaveLength(1);
      expect(await store().current(name, at(1).now)).toEqual(winners[0]);
    });

    it('of N contenders taking over an expired lease at once, exactly one wins, with a greater token', async () => {
      const name = newLeaseName();
      const old = granted(await store().acquire(name, 'old', at(0)));
      const holders = Array.from({ length: 8 }, (_, i) => `contender-${i}`);
      const results = await Promise.all(holders.map((holder) => store().acquire(name, holder, at(TTL_MS))));
      const winners = results.filter((lease) => lease !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.token).toBeGreaterThan(old.token);
      await leaseLost(store().renew(old, at(TTL_MS + 1)));
    });

    if (factory.reopens) {
      it('survives a reopen: the holder, token and expiry are still there', async () => {
        const name = newLeaseName();
        const lease = granted(await store().acquire(name, 'a', at(0)));
        const reopened = await backend().reopen!();
        expect(await reopened.leases.current(name, at(1).now)).toEqual(lease);
        expect(await reopened.leases.acquire(name, 'b', at(1))).toBeNull();
      });
    } else {
      it.skip('survives a reopen (skipped: this storage dies with its connection)', () => undefined);
    }
  });
}
