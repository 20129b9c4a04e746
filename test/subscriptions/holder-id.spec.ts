import { hostname } from 'node:os';
import { newHolderId } from '../../src/subscriptions/holder-id';
import { SequentialIds } from '../support/fixed-clock';

describe('newHolderId', () => {
  it('names the host and process, and differs for every start of the same process', () => {
    const ids = new SequentialIds();
    const first = newHolderId(ids);
    expect(first).toBe(`${hostname()}:${process.pid}:00000000-0000-7000-8000-000000000001`);
    expect(newHolderId(ids)).not.toBe(first);
  });
});
