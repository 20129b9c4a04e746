import type { PublishedEvent } from '../../src/event-catalog/cloud-event';
import type { FeedFilter } from '../../src/event-feed/feed-filter';
import { ListenerIndex } from '../../src/event-feed/listener-index';

const listener = (name: string, filter: Partial<FeedFilter>) => ({
  name,
  filter: { customerId: 'a', types: null, callId: null, conferenceId: null, ...filter },
});
const event = (customerId: string, callId: string | null, conferenceId: string | null): PublishedEvent =>
  ({ position: 1n, customerId, orderingKey: 'k', callId, conferenceId, cloudEvent: {} }) as PublishedEvent;

describe('ListenerIndex', () => {
  const all = listener('all', {});
  const call1 = listener('call1', { callId: 'c1' });
  const conf1 = listener('conf1', { conferenceId: 'f1' });
  const otherTenant = listener('b', { customerId: 'b' });

  function candidates(index: ListenerIndex<typeof all>, e: PublishedEvent): string[] {
    const names: string[] = [];
    index.forEachCandidate(e, (l) => names.push(l.name));
    return names.sort();
  }

  it('offers an event only to its tenant’s clients whose call or conference filter can match', () => {
    const index = new ListenerIndex<typeof all>();
    for (const l of [all, call1, conf1, otherTenant]) index.add(l);
    expect(index.size).toBe(4);
    expect(candidates(index, event('a', 'c1', null))).toEqual(['all', 'call1']);
    expect(candidates(index, event('a', 'c2', 'f1'))).toEqual(['all', 'conf1']);
    expect(candidates(index, event('a', 'c1', 'f1'))).toEqual(['all', 'call1', 'conf1']);
    expect(candidates(index, event('b', 'c1', 'f1'))).toEqual(['b']);
    expect(candidates(index, event('z', 'c1', 'f1'))).toEqual([]);
  });

  it('forgets removed clients, and adding twice counts once', () => {
    const index = new ListenerIndex<typeof all>();
    index.add(call1);
    index.add(call1);
    index.add(all);
    expect(index.size).toBe(2);
    index.remove(call1);
    index.remove(call1);
    expect(index.size).toBe(1);
    expect(candidates(index, event('a', 'c1', null))).toEqual(['all']);
    index.remove(all);
    expect(index.size).toBe(0);
    expect(candidates(index, event('a', 'c1', null))).toEqual([]);
  });
});
