import { ReadyBatches } from '../../src/reactors/ready-batches';

/** An async iterator fed by hand: `push` makes an item available, `end` finishes it. */
function channel<T>() {
  const items: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let ended = false;
  const iterator: AsyncIterator<T> = {
    next: () => {
      const item = items.shift();
      if (item !== undefined) return Promise.resolve({ done: false, value: item });
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
  };
  let nextCalls = 0;
  const counted: AsyncIterator<T> = {
    next: () => {
      nextCalls++;
      return iterator.next();
    },
  };
  return {
    iterator,
    counted,
    nextCalls: () => nextCalls,
    /** What `next()` would return without waiting, as a shared-feed subscription's `takeAvailable`. */
    take: (max: number) => items.splice(0, Math.max(0, max)),
    push(item: T) {
      const w = waiting;
      waiting = null;
      if (w) w({ done: false, value: item });
      else items.push(item);
    },
    end() {
      ended = true;
      const w = waiting;
      waiting = null;
      w?.({ done: true, value: undefined });
    },
  };
}

describe('ReadyBatches', () => {
  it('takes everything already available, up to max, and keeps the rest for the next batch', async () => {
    const feed = channel<number>();
    for (let i = 1; i <= 5; i++) feed.push(i);
    const batches = new ReadyBatches(feed.iterator);
    expect(await batches.next(3)).toEqual([1, 2, 3]);
    expect(await batches.next(3)).toEqual([4, 5]);
  });

  it('closes a batch at the end of the tick and loses nothing that arrives later', async () => {
    const feed = channel<number>();
    const batches = new ReadyBatches(feed.iterator);
    feed.push(1);
    expect(await batches.next(10)).toEqual([1]);
    const next = batches.next(10);
    setTimeout(() => {
      feed.push(2);
      feed.push(3);
    }, 5);
    expect(await next).toEqual([2, 3]);
    feed.end();
    expect(await batches.next(10)).toEqual([]);
  });

  it('with takeAvailable, takes a burst in one call, in order, and still loses nothing that arrives later', async () => {
    const feed = channel<number>();
    for (let i = 1; i <= 7; i++) feed.push(i);
    const batches = new ReadyBatches(feed.counted, feed.take);
    expect(await batches.next(3)).toEqual([1, 2, 3]);
    expect(await batches.next(3)).toEqual([4, 5, 6]);
    // One next() per batch (its first item); the rest came from takeAvailable, not a race per item.
    expect(feed.nextCalls()).toBe(2);
    expect(await batches.next(3)).toEqual([7]);
    const later = batches.next(10);
    setTimeout(() => {
      feed.push(8);
      feed.push(9);
    }, 5);
    expect(await later).toEqual([8, 9]);
    feed.end();
    expect(await batches.next(10)).toEqual([]);
  });

  it('with takeAvailable, a batch it fills arms no end-of-tick timer', async () => {
    const feed = channel<number>();
    for (let i = 1; i <= 4; i++) feed.push(i);
    const batches = new ReadyBatches(feed.iterator, feed.take);
    const timers = jest.spyOn(global, 'setImmediate');
    try {
      expect(await batches.next(2)).toEqual([1, 2]);
      expect(await batches.next(2)).toEqual([3, 4]);
      expect(timers).not.toHaveBeenCalled();
      // Not full: the end of the tick closes it, as without takeAvailable.
      feed.push(5);
      expect(await batches.next(2)).toEqual([5]);
      expect(timers).toHaveBeenCalledTimes(1);
    } finally {
      timers.mockRestore();
    }
  });
});
