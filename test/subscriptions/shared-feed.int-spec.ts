import { createHook } from 'node:async_hooks';
import { EsdbEventStore } from '../../src/event-store/esdb/esdb-event-store';
import type {
  EventStore,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { SharedAllFeed, type SharedFeedOptions } from '../../src/subscriptions/shared-feed';
import { newEvents, take, uniqueStreams } from '../event-store/contract/contract-helpers';
import { describeEventStoreContract } from '../event-store/event-store.contract';
import { startEsdbWireFake } from '../support/esdb-wire-fake/esdb-wire-fake';

/** A store whose subscriptions go through a shared feed, so the whole store contract checks the feed. */
class FeedBackedStore implements EventStore {
  readonly feed: SharedAllFeed;
  constructor(
    readonly inner: EventStore,
    options?: SharedFeedOptions,
  ) {
    this.feed = new SharedAllFeed(inner, options);
  }
  appendToStream: EventStore['appendToStream'] = (...args) => this.inner.appendToStream(...args);
  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    return this.feed.subscribeToAll(options);
  }
  async close(): Promise<void> {
    await this.feed.stop();
    await this.inner.close();
  }
}

/** Counts the store subscriptions opened under the feed, and its `readAll` calls. */
class CountingStore extends SqliteEventStore {
  opened = 0;
  reads = 0;
  override subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    this.opened++;
    return super.subscribeToAll(options);
  }
  override readAll(options?: Parameters<SqliteEventStore['readAll']>[0]): AsyncIterable<RecordedEvent> {
    this.reads++;
    return super.readAll(options);
  }
}

describeEventStoreContract('Shared feed over SQLite', {
  create: async () => new FeedBackedStore(new SqliteEventStore({ filename: ':memory:' })),
  dispose: (store) => store.close(),
});

// Tiny buffers: every consumer joins, falls behind, is detached and catches up again many times over.
describeEventStoreContract('Shared feed over SQLite with tiny buffers', {
  create: async () =>
    new FeedBackedStore(new SqliteEventStore({ filename: ':memory:' }), {
      recentEvents: 16,
      maxQueue: 8,
      pageSize: 50,
    }),
  dispose: (store) => store.close(),
});

describeEventStoreContract(
  'Shared feed over the EventStoreDB adapter (wire fake)',
  (() => {
    const stops = new Map<EventStore, () => Promise<void>>();
    return {
      create: async () => {
        const fake = await startEsdbWireFake();
        const store = new FeedBackedStore(EsdbEventStore.fromConnectionString(fake.connectionString));
        stops.set(store, () => fake.stop());
        return store;
      },
      dispose: async (store) => {
        await store.close();
        await stops.get(store)?.();
      },
    };
  })(),
);

describe('SharedAllFeed', () => {
  let store: CountingStore;
  let feed: SharedAllFeed;
  afterEach(async () => {
    await feed.stop();
    await store.close();
  });

  it('serves every consumer at the head from ONE store subscription', async () => {
    store = new CountingStore({ filename: ':memory:' });
    feed = new SharedAllFeed(store);
    const { prefix, stream } = uniqueStreams();
    const consumers = Array.from({ length: 11 }, () =>
      take(feed.subscribeToAll({ fromPosition: 'start', filter: { streamPrefixes: [prefix] } }), 30),
    );
    const events = newEvents(30);
    for (const event of events) await store.appendToStream(stream(), [event], { expectedRevision: 'any' });
    for (const received of await Promise.all(consumers))
      expect(received.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(store.opened).toBe(1);
    expect(feed.status().live).toBe(0);
  });

  it('a consumer far behind catches up on its own reads, then joins without gap or duplicate', async () => {
    store = new CountingStore({ filename: ':memory:' });
    feed = new SharedAllFeed(store, { recentEvents: 10, pageSize: 100 });
    const { stream } = uniqueStreams();
    await store.appendToStream(stream('old'), newEvents(1_000), { expectedRevision: 'any' });
    // A live consumer moves the shared subscription past the old events first.
    const first = take(feed.subscribeToAll({ fromPosition: 'start' }), 1_000);
    expect((await first).length).toBe(1_000);

    const late = feed.subscribeToAll({ fromPosition: 'start' });
    const lateEvents = take(late, 1_050);
    await store.appendToStream(stream('new'), newEvents(50), { expectedRevision: 'any' });
    const received = await lateEvents;
    const positions = received.map((e) => e.position);
    expect(new Set(positions).size).toBe(1_050);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(store.opened).toBe(1);
  });

  it('consumers catching up from the same point share each page: read and decoded once, not once each', async () => {
    store = new CountingStore({ filename: ':memory:' });
    feed = new SharedAllFeed(store, { recentEvents: 10, pageSize: 100 });
    const { stream } = uniqueStreams();
    const events = newEvents(1_000);
    await store.appendToStream(stream('old'), events, { expectedRevision: 'any' });
    const readsBefore = store.reads;

    const received = await Promise.all(
      Array.from({ length: 4 }, () => take(feed.subscribeToAll({ fromPosition: 'start' }), 1_000)),
    );
    for (const one of received) expect(one.map((e) => e.id)).toEqual(events.map((e) => e.id));
    // Ten full pages read once each, plus at most a short last page per consumer (never shared: it ends
    // at the head and would go stale); four separate catch-ups would take over forty reads.
    expect(store.reads - readsBefore).toBeLessThanOrEqual(10 + 4);
  });

  it('lets a shared page go once every consumer catching up has taken it, and holds none for a lone one', async () => {
    store = new CountingStore({ filename: ':memory:' });
    feed = new SharedAllFeed(store, { recentEvents: 10, pageSize: 100 });
    const { stream } = uniqueStreams();
    await store.appendToStream(stream('old'), newEvents(1_000), { expectedRevision: 'any' });
    const readsBefore = store.reads;
    const slow = feed.subscribeToAll({ fromPosition: 'start' })[Symbol.asyncIterator]();
    const fast = feed.subscribeToAll({ fromPosition: 'start' })[Symbol.asyncIterator]();
    const advance = async (iterator: AsyncIterator<unknown>, events: number) => {
      for (let i = 0; i < events; i++) expect((await iterator.next()).done).toBe(false);
    };

    await Promise.all([advance(slow, 1), advance(fast, 1)]);
    expect(feed.status().heldPages).toBe(0); // the first page: taken by both
    await advance(fast, 499); // pages the slow one has not taken yet (each page starts at the last seen)
    const held = feed.status().heldPages;
    expect(held).toBeGreaterThanOrEqual(4);
    await advance(slow, 499);
    expect(feed.status().heldPages).toBe(0);
    expect(store.reads - readsBefore).toBe(1 + held); // each page read once for the two

    await slow.return?.();
    await advance(fast, 300); // alone now: nobody else would take its pages
    expect(feed.status().heldPages).toBe(0);
    await fast.return?.();
  });

  it('delivers a catch-up page event by event for about one promise each, not one per async layer', async () => {
    store = new CountingStore({ filename: ':memory:' });
    feed = new SharedAllFeed(store, { recentEvents: 10, pageSize: 500 });
    const { stream } = uniqueStreams();
    await store.appendToStream(stream('old'), newEvents(2_000), { expectedRevision: 'any' });
    const iterator = feed.subscribeToAll({ fromPosition: 'start' })[Symbol.asyncIterator]();
    // Every promise also runs the process's async hooks (its AsyncLocalStorages), so a rebuild pays per promise.
    let promises = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') promises++;
      },
    }).enable();
    let delivered = 0;
    try {
      while (delivered < 2_000 && !(await iterator.next()).done) delivered++;
    } finally {
      hook.disable();
    }
    expect(delivered).toBe(2_000);
    // The consumer's `next()` and its await (2), plus reading each page once (2 an event through the
    // store's `readAll`): about 4, where async generators in both made it 10.
    expect(promises / delivered).toBeLessThan(5);
    await iterator.return?.();
  });

  it('detaches a consumer that does not read, without holding more than its bound, and loses nothing', async () => {
    store = new CountingStore({ filename: ':memory:' });
    feed = new SharedAllFeed(store, { maxQueue: 20, recentEvents: 10, pageSize: 25 });
    const { stream } = uniqueStreams();
    const slow = feed.subscribeToAll({ fromPosition: 'start' });
    const iterator = slow[Symbol.asyncIterator]();
    // Joins the live feed after its first (empty) catch-up read.
    const first = iterator.next();
    await store.appendToStream(stream(), newEvents(1), { expectedRevision: 'any' });
    const seen: RecordedEvent[] = [(await first).value];
    // 500 events arrive while it reads nothing.
    for (let i = 0; i < 10; i++)
      await store.appendToStream(stream(), newEvents(50), { expectedRevision: 'any' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(feed.status().live).toBe(0);
    for (let i = 0; i < 500; i++) seen.push((await iterator.next()).value);
    const revisions = seen.map((e) => e.revision);
    expect(revisions).toEqual(Array.from({ length: 501 }, (_, i) => BigInt(i)));
  });

  it('takeAvailable hands over, without waiting, exactly the events next() would return, in order', async () => {
    store = new CountingStore({ filename: ':memory:' });
    // Tiny buffers: the consumers catch up over many pages, join, fall behind, are detached and read again.
    feed = new SharedAllFeed(store, { recentEvents: 16, maxQueue: 8, pageSize: 50 });
    const { stream } = uniqueStreams();
    await store.appendToStream(stream('old'), newEvents(1_000), { expectedRevision: 'any' });
    const total = 1_500;
    const byNext = take(feed.subscribeToAll({ fromPosition: 'start' }), total);
    const mixed = feed.subscribeToAll({ fromPosition: 'start' });
    const takenInBulk: number[] = [];
    const byBoth = (async () => {
      const out: RecordedEvent[] = [];
      const iterator = mixed[Symbol.asyncIterator]();
      for (let round = 0; out.length < total; round++) {
        const next = await iterator.next();
        if (next.done) break;
        out.push(next.value);
        // Varying sizes, 0 included, so page ends, partial takes and the live queue are all crossed.
        const available = mixed.takeAvailable?.(Math.min(round % 60, total - out.length)) ?? [];
        takenInBulk.push(available.length);
        out.push(...available);
        // Reads slower than the appends now and then, so the live queue fills and the consumer is detached.
        if (round % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await iterator.return?.();
      return out;
    })();
    for (let i = 0; i < 10; i++) {
      await store.appendToStream(stream('new'), newEvents(50), { expectedRevision: 'any' });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [expected, received] = await Promise.all([byNext, byBoth]);
    expect(received.map((e) => e.position)).toEqual(expected.map((e) => e.position));
    expect(received).toHaveLength(total);
    // It did take pages in bulk (not a test that passes by always answering empty).
    expect(takenInBulk.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(total / 2);
  });

  it('a consumer resuming after the head joins at once and sees only newer events', async () => {
    store = new CountingStore({ filename: ':memory:' });
    feed = new SharedAllFeed(store);
    const { stream } = uniqueStreams();
    const { position } = await store.appendToStream(stream(), newEvents(5), { expectedRevision: 'any' });
    const after = take(feed.subscribeToAll({ fromPosition: position }), 2);
    const { position: last } = await store.appendToStream(stream(), newEvents(2), {
      expectedRevision: 'any',
    });
    const received = await after;
    expect(received.map((e) => e.revision)).toEqual([5n, 6n]);
    expect(received[1].position).toBe(last);
  });
});
