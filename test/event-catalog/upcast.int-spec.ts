import { upcast } from '../../src/event-catalog/upcasters';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { collect } from '../event-store/contract/contract-helpers';
import { FixedClock } from '../support/fixed-clock';

describe('upcast of an event read from the SQLite store (decoded on demand)', () => {
  it('keeps every field of the stored event, not only the ones a spread would copy', async () => {
    const clock = new FixedClock('2026-03-01T10:00:00.000Z');
    const store = new SqliteEventStore({ filename: ':memory:', clock });
    const metadata = { correlation_id: 'c', causation_id: 'c', customer_id: 'customer-1', actor: 'key:k' };
    // The old shape: no `endTime` on a hangup request.
    const data = {
      callId: 'call-1',
      status: 'canceling',
      hangupReason: 'cancel',
      at: '2020-01-01T00:00:00.000Z',
    };
    await store.appendToStream('call-1', [{ id: 'e-1', type: 'CallHangupRequested', data, metadata }], {
      expectedRevision: 'no_stream',
    });
    const [stored] = await collect(store.readStream('call-1'));
    const current = upcast(stored);

    expect(current).not.toBe(stored);
    expect(current.data).toEqual({ ...data, endTime: null });
    expect(current.metadata).toEqual(metadata);
    expect(current.created.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect([current.streamId, current.revision, current.position, current.id, current.type]).toEqual([
      'call-1',
      0n,
      stored.position,
      'e-1',
      'CallHangupRequested',
    ]);
    await store.close();
  });
});
