import { v7 as uuidv7 } from 'uuid';
import { type CheckpointStore, FencedOut } from '../../../src/subscriptions/checkpoint-store';
import { rejectionOf } from '../../event-store/contract/contract-helpers';
import { openForSuite, type SubscriptionBackendFactory } from './subscription-backends';

/** A consumer name no other test uses (the storage is shared by the whole suite). */
const newConsumer = () => `consumer${uuidv7().replaceAll('-', '')}`;

async function fencedOut(promise: Promise<unknown>): Promise<FencedOut> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(FencedOut);
  return error as FencedOut;
}

/** The behaviour every CheckpointStore adapter shares (see the port, `checkpoint-store.ts`). */
export function describeCheckpointStoreContract(factory: SubscriptionBackendFactory): void {
  describe(`${factory.name}: checkpoint store contract`, () => {
    const backend = openForSuite(factory);
    const store = (): CheckpointStore => backend().ports.checkpoints;

    it('loads null for a consumer that never saved', async () => {
      expect(await store().load(newConsumer())).toBeNull();
    });

    it('loads what was saved, per consumer, beyond 2^53 without loss', async () => {
      const [first, second] = [newConsumer(), newConsumer()];
      const big = 2n ** 60n + 1n;
      await store().save(first, 42n);
      await store().save(second, big);
      expect(await store().load(first)).toBe(42n);
      expect(await store().load(second)).toBe(big);
    });

    it('never moves backwards: an older position is a no-op, a newer one moves on', async () => {
      const consumer = newConsumer();
      await store().save(consumer, 10n);
      await store().save(consumer, 5n);
      await store().save(consumer, 10n);
      expect(await store().load(consumer)).toBe(10n);
      await store().save(consumer, 11n);
      expect(await store().load(consumer)).toBe(11n);
    });

    it('refuses a fence older than the newest one with FencedOut, and keeps the position', async () => {
      const consumer = newConsumer();
      await store().save(consumer, 5n, { fence: 2n });
      const error = await fencedOut(store().save(consumer, 6n, { fence: 1n }));
      expect(error).toMatchObject({ consumer, fence: 1n, newestFence: 2n });
      expect(await store().load(consumer)).toBe(5n);
    });

    it('accepts the same and a newer fence; from then on the older ones are out', async () => {
      const consumer = newConsumer();
      await store().save(consumer, 5n, { fence: 2n });
      await store().save(consumer, 6n, { fence: 2n });
      await store().save(consumer, 7n, { fence: 3n });
      expect(await store().load(consumer)).toBe(7n);
      await fencedOut(store().save(consumer, 8n, { fence: 2n }));
      expect(await store().load(consumer)).toBe(7n);
    });

    it('records a newer fence even when its position is older (the new holder loaded an older checkpoint)', async () => {
      const consumer = newConsumer();
      await store().save(consumer, 10n, { fence: 1n });
      await store().save(consumer, 4n, { fence: 2n });
      expect(await store().load(consumer)).toBe(10n);
      await fencedOut(store().save(consumer, 11n, { fence: 1n }));
    });

    it('fences out an old holder even when its late save is for an older position', async () => {
      const consumer = newConsumer();
      await store().save(consumer, 10n, { fence: 2n });
      await fencedOut(store().save(consumer, 3n, { fence: 1n }));
    });

    it('never fences unfenced saves, and they keep the newest fence for later fenced ones', async () => {
      const consumer = newConsumer();
      await store().save(consumer, 1n);
      await store().save(consumer, 2n);
      await store().save(consumer, 5n, { fence: 3n });
      await store().save(consumer, 6n);
      expect(await store().load(consumer)).toBe(6n);
      await fencedOut(store().save(consumer, 7n, { fence: 2n }));
      await store().save(consumer, 7n, { fence: 3n });
      expect(await store().load(consumer)).toBe(7n);
    });

    it('of a new holder racing a fenced-out one, the new one always wins', async () => {
      const consumer = newConsumer();
      await store().save(consumer, 10n, { fence: 1n });
      const [newHolder, oldHolder] = await Promise.allSettled([
        store().save(consumer, 20n, { fence: 2n }),
        store().save(consumer, 21n, { fence: 1n }),
      ]);
      expect(newHolder.status).toBe('fulfilled');
      // The old save either landed before the new holder's (allowed: its fence was newest then) or was refused.
      if (oldHolder.status === 'rejected') expect(oldHolder.reason).toBeInstanceOf(FencedOut);
      expect(await store().load(consumer)).toBeGreaterThanOrEqual(20n);
      await fencedOut(store().save(consumer, 30n, { fence: 1n }));
    });

    if (factory.reopens) {
      it('survives a reopen: a new connection loads the position and the fence', async () => {
        const consumer = newConsumer();
        await store().save(consumer, 77n, { fence: 4n });
        const reopened = await backend().reopen!();
        expect(await reopened.checkpoints.load(consumer)).toBe(77n);
        await fencedOut(reopened.checkpoints.save(consumer, 78n, { fence: 3n }));
      });
    } else {
      it.skip('survives a reopen (skipped: this storage dies with its connection)', () => undefined);
    }
  });
}
