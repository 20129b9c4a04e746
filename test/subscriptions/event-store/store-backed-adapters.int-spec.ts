import type { RecordedEvent } from '../../../src/event-store/event-store';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { StoreCheckpointStore } from '../../../src/subscriptions/event-store/store-checkpoint-store';
import { StoreLeaseStore } from '../../../src/subscriptions/event-store/store-lease-store';
import { isRuntimeStream, RUNTIME_STREAM_PREFIXES } from '../../../src/subscriptions/runtime-streams';
import { collect } from '../../event-store/contract/contract-helpers';
import { SequentialIds } from '../../support/fixed-clock';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => ({ now: new Date(T0 + ms), ttlMs: 10_000 });
const shape = (event: RecordedEvent) => ({ streamId: event.streamId, type: event.type, data: event.data });

describe('store-backed checkpoints and leases: what they write', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
  });
  afterEach(() => store.close());

  it('a checkpoint stream gets one CheckpointSaved per save that changes something, none otherwise', async () => {
    const checkpoints = new StoreCheckpointStore(store, new SequentialIds());
    await checkpoints.save('reactors', 10n, { fence: 1n });
    await checkpoints.save('reactors', 10n, { fence: 1n }); // nothing new
    await checkpoints.save('reactors', 5n); // older: nothing new
    await checkpoints.save('reactors', 12n);
    await checkpoints.save('reactors', 12n, { fence: 2n, at: new Date(T0) });
    expect((await collect(store.readStream('checkpoint-reactors'))).map(shape)).toEqual([
      { streamId: 'checkpoint-reactors', type: 'CheckpointSaved', data: { position: '10', fence: '1' } },
      { streamId: 'checkpoint-reactors', type: 'CheckpointSaved', data: { position: '12', fence: '1' } },
      {
        streamId: 'checkpoint-reactors',
        type: 'CheckpointSaved',
        data: { position: '12', fence: '2', at: '2026-01-01T00:00:00.000Z' },
      },
    ]);
  });

  it('a lease stream records acquire, renew and release with holder, token and expiry', async () => {
    const leases = new StoreLeaseStore(store, new SequentialIds());
    const lease = (await leases.acquire('reactors', 'a', at(0)))!;
    expect(await leases.acquire('reactors', 'b', at(1))).toBeNull(); // refused: writes nothing
    const renewed = await leases.renew(lease, at(3_000));
    await leases.release(renewed);
    await leases.release(renewed); // already released: a no-op
    const expiry = (ms: number) => new Date(T0 + ms).toISOString();
    expect((await collect(store.readStream('lease-reactors'))).map((e) => [e.type, e.data])).toEqual([
      ['LeaseAcquired', { holder: 'a', token: '1', expiresAt: expiry(10_000) }],
      ['LeaseRenewed', { holder: 'a', token: '1', expiresAt: expiry(13_000) }],
      ['LeaseReleased', { holder: 'a', token: '1', expiresAt: expiry(13_000) }],
    ]);
  });

  it("stamps the runtime's metadata with ids from the generator, never a tenant's", async () => {
    const ids = new SequentialIds();
    await new StoreCheckpointStore(store, ids).save('reactors', 1n);
    await new StoreLeaseStore(store, ids).acquire('reactors', 'a', at(0));
    const written = await collect(store.readAll());
    expect(written.map((e) => [e.id, e.metadata])).toEqual([
      [
        '00000000-0000-7000-8000-000000000001',
        {
          correlation_id: '00000000-0000-7000-8000-000000000001',
          causation_id: '00000000-0000-7000-8000-000000000001',
          customer_id: 'system',
          actor: 'system:runtime',
        },
      ],
      [
        '00000000-0000-7000-8000-000000000002',
        {
          correlation_id: '00000000-0000-7000-8000-000000000002',
          causation_id: '00000000-0000-7000-8000-000000000002',
          customer_id: 'system',
          actor: 'system:runtime',
        },
      ],
    ]);
    expect(written.every((event) => isRuntimeStream(event.streamId))).toBe(true);
  });
});

describe('isRuntimeStream', () => {
  it('is true for checkpoint and lease streams only', () => {
    expect(RUNTIME_STREAM_PREFIXES).toEqual(['checkpoint-', 'lease-']);
    expect(['checkpoint-reactors', 'lease-reactors'].map(isRuntimeStream)).toEqual([true, true]);
    expect(['call-1', 'conference-1', 'customer-checkpoint-1', 'leases'].map(isRuntimeStream)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
