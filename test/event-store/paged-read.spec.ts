import type { RecordedEvent } from '../../src/event-store/event-store';
import { type PageRead, pagedRead } from '../../src/event-store/paged-read';
import { nextMacrotask } from '../../src/event-store/sqlite/sqlite-subscription';

const events = (ids: string[]) => ids.map((id) => ({ id }) as RecordedEvent);

/** Pages of the given ids; the last one says so. Records what happened, in order. */
function pages(log: string[], ...ids: string[][]): PageRead {
  let n = 0;
  return () => {
    log.push(`page ${n}`);
    const page = ids[n++];
    return { events: events(page), last: n === ids.length };
  };
}

describe('pagedRead (a store reading page by page)', () => {
  it('delivers every event in order, letting the event loop in between pages but not after the last', async () => {
    const log: string[] = [];
    const read = pagedRead(pages(log, ['a', 'b'], ['c'], ['d']), nextMacrotask);
    const iterator = read[Symbol.asyncIterator]();
    const tick = () => setImmediate(() => log.push('tick'));
    for (;;) {
      tick();
      const next = await iterator.next();
      if (next.done) break;
      log.push(next.value.id);
    }
    // Each tick scheduled before a page boundary runs before the next page is read; none before `done`.
    expect(log.filter((entry) => entry !== 'tick')).toEqual([
      'page 0',
      'a',
      'b',
      'page 1',
      'c',
      'page 2',
      'd',
    ]);
    expect(log.indexOf('tick')).toBeGreaterThan(log.indexOf('b'));
    expect(log.indexOf('tick')).toBeLessThan(log.indexOf('page 1'));
    expect(log.slice(log.indexOf('d') + 1)).toEqual([]);
  });

  it('a failed page read rejects that next() and ends the iteration', async () => {
    let reads = 0;
    const iterator = pagedRead(() => {
      reads++;
      if (reads === 2) throw new Error('store closed');
      return { events: events(['a']), last: false };
    })[Symbol.asyncIterator]();
    expect((await iterator.next()).value.id).toBe('a');
    await expect(iterator.next()).rejects.toThrow('store closed');
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(reads).toBe(2);
  });

  it('return() ends the iteration without reading further', async () => {
    const log: string[] = [];
    const iterator = pagedRead(pages(log, ['a', 'b'], ['c']))[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(log).toEqual(['page 0']);
  });

  it('awaits pages read asynchronously (EventStoreDB), in order, with no pause of its own', async () => {
    const log: string[] = [];
    const sync = pages(log, ['a'], ['b', 'c']);
    const read = pagedRead(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return sync();
    });
    const seen: string[] = [];
    for await (const event of read) seen.push(event.id);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['page 0', 'page 1']);
  });
});
