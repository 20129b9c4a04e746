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
  return {
    iterator,
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
});
