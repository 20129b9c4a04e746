import { isUUID } from 'class-validator';
import {
  idempotentCreationIds,
  resourceIdForKey,
  runCreation,
} from '../../src/http/idempotency/idempotent-ids';

const FIRST_SEEN = Date.UTC(2026, 11, 1, 20, 0, 0);

describe('ids of creations sent with an Idempotency-Key', () => {
  it('the same tenant and key name the same UUIDv7, stamped with when the key was first seen', () => {
    const id = resourceIdForKey('tenant-a', 'key-1', FIRST_SEEN);

    expect(resourceIdForKey('tenant-a', 'key-1', FIRST_SEEN)).toBe(id);
    expect(isUUID(id, 7)).toBe(true);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(FIRST_SEEN);
  });

  it('another tenant or another key names another resource', () => {
    const id = resourceIdForKey('tenant-a', 'key-1', FIRST_SEEN);

    expect(resourceIdForKey('tenant-b', 'key-1', FIRST_SEEN)).not.toBe(id);
    expect(resourceIdForKey('tenant-a', 'key-2', FIRST_SEEN)).not.toBe(id);
  });

  it('inside a creation only the first id asked for is the key resource id; outside, ids are untouched', async () => {
    let counter = 0;
    const ids = idempotentCreationIds({ newId: () => `random-${++counter}` });

    const inside = await runCreation('the-resource', async () => {
      const first = ids.newId();
      await Promise.resolve();
      return [first, ids.newId(), ids.newId()];
    });

    expect(inside).toEqual(['the-resource', 'random-1', 'random-2']);
    expect(ids.newId()).toBe('random-3');
  });
});
