import { createServer } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { EsdbEventStore, type EsdbEventStoreOptions } from '../../src/event-store/esdb/esdb-event-store';
import { backoffDelay } from '../../src/event-store/esdb/esdb-subscription';
import type { EventData, RecordedEvent, Subscription } from '../../src/event-store/event-store';
import {
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedVersion,
} from '../../src/event-store/event-store.errors';
import {
  type EsdbWireFake,
  type EsdbWireFakeOptions,
  startEsdbWireFake,
} from '../support/esdb-wire-fake/esdb-wire-fake';
import { FixedClock } from '../support/fixed-clock';
import { describeEventStoreContract } from './event-store.contract';

// Re-subscribe quickly and give up on a silent server sooner than production would.
const FAST: EsdbEventStoreOptions = {
  operationTimeoutMs: 1_000,
  resubscribe: { initialDelayMs: 10, maxDelayMs: 100 },
};

describeEventStoreContract(
  'EventStoreDB adapter over the gRPC wire fake',
  (() => {
    const fakes = new Map<EsdbEventStore, EsdbWireFake>();
    return {
      create: async () => {
        const fake = await startEsdbWireFake();
        const store = EsdbEventStore.fromConnectionString(fake.connectionString);
        fakes.set(store, fake);
        return store;
      },
      dispose: async (store) => {
        await store.close();
        await fakes.get(store as EsdbEventStore)?.stop();
      },
    };
  })(),
);

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;
describeEventStoreContract('EventStoreDB adapter on a real server', {
  create: async () => EsdbEventStore.fromConnectionString(realServer!),
  dispose: (store) => store.close(),
  ...(realServer ? {} : { skipReason: 'EVENTSTORE_CONNECTION_STRING not set' }),
});

function event(type = 'ThingHappened', data: EventData['data'] = {}): EventData {
  const id = uuidv7();
  return {
    id,
    type,
    data,
    metadata: {
      correlation_id: id,
      causation_id: id,
      customer_id: 'customer-esdb',
      actor: 'system:esdb-test',
    },
  };
}

const events = (count: number) => Array.from({ length: count }, (_, n) => event('ThingHappened', { n }));

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Pulls events one by one, so a test can act between two of them. */
class Consumer {
  private readonly iterator: AsyncIterator<RecordedEvent>;
  readonly received: RecordedEvent[] = [];
  constructor(private readonly subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }
  async take(count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
    const timer = setTimeout(() => void this.subscription.unsubscribe(), timeoutMs);
    try {
      const batch: RecordedEvent[] = [];
      while (batch.length < count) {
        const next = await this.iterator.next();
        if (next.done) throw new Error(`subscription ended after ${this.received.length} events`);
        batch.push(next.value);
        this.received.push(next.value);
      }
      return batch;
    } finally {
      clearTimeout(timer);
    }
  }
}

function expectNoGapNoDuplicate(received: RecordedEvent[], appended: EventData[]): void {
  expect(received.map((e) => e.id)).toEqual(appended.map((e) => e.id));
  for (let i = 1; i < received.length; i++)
    expect(received[i].position > received[i - 1].position).toBe(true);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('EsdbEventStore (adapter specifics, over the wire fake)', () => {
  let fake: EsdbWireFake;
  let store: EsdbEventStore;
  const started: Array<{ fake: EsdbWireFake; store: EsdbEventStore }> = [];

  async function start(fakeOptions: EsdbWireFakeOptions = {}, storeOptions: EsdbEventStoreOptions = FAST) {
    const fake = await startEsdbWireFake(fakeOptions);
    const store = EsdbEventStore.fromConnectionString(fake.connectionString, storeOptions);
    started.push({ fake, store });
    return { fake, store };
  }

  beforeEach(async () => {
    ({ fake, store } = await start());
  });

  afterEach(async () => {
    for (const { fake, store } of started.splice(0)) {
      await store.close();
      await fake.stop();
    }
  });

  describe('subscriptions that drop', () => {
    it('resume after the server drops every subscription, mid-stream and repeatedly, with no gap or duplicate', async () => {
      const appended = events(300);
      await store.appendToStream('order-1', appended.slice(0, 100), { expectedRevision: 'no_stream' });
      const consumer = new Consumer(store.subscribeToAll({ filter: { streamPrefixes: ['order-'] } }));

      await consumer.take(40);
      fake.dropSubscriptions();
      await store.appendToStream('order-1', appended.slice(100, 200), { expectedRevision: 99n });
      await consumer.take(100);
      fake.dropSubscriptions();
      await consumer.take(20);
      await store.appendToStream('order-2', appended.slice(200), { expectedRevision: 'no_stream' });
      fake.dropSubscriptions();
      await consumer.take(140);

      expectNoGapNoDuplicate(consumer.received, appended);
    });

    it('resume after a server restart; commands fail with StoreUnavailable while it is down', async () => {
      const before = events(5);
      const after = events(5);
      await store.appendToStream('order-1', before, { expectedRevision: 'no_stream' });
      const consumer = new Consumer(store.subscribeToAll());
      await consumer.take(3);

      const restarted = fake.restart(300);
      const whileDown = await rejectionOf(
        store.appendToStream('order-1', [event()], { expectedRevision: 4n }),
      );
      expect(whileDown).toBeInstanceOf(StoreUnavailable);
      await restarted;

      await store.appendToStream('order-1', after, { expectedRevision: 4n });
      await consumer.take(7);
      expectNoGapNoDuplicate(consumer.received, [...before, ...after]);
    });

    it('a subscription from "end" that drops before its first event still delivers what came after subscribing', async () => {
      await store.appendToStream('order-1', events(3), { expectedRevision: 'no_stream' });
      const consumer = new Consumer(store.subscribeToAll({ fromPosition: 'end' }));
      const pending = consumer.take(2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      fake.dropSubscriptions();
      const later = events(2);
      await store.appendToStream('order-1', later, { expectedRevision: 2n });
      await pending;
      expectNoGapNoDuplicate(consumer.received, later);
    });

    it('gives up with StoreUnavailable after the configured attempts', async () => {
      ({ fake, store } = await start(
        {},
        { resubscribe: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 2 } },
      ));
      await store.appendToStream('order-1', events(1), { expectedRevision: 'no_stream' });
      const consumer = new Consumer(store.subscribeToAll());
      await consumer.take(1);
      await fake.stop();
      expect(await rejectionOf(consumer.take(1))).toBeInstanceOf(StoreUnavailable);
    });

    it('backoff grows exponentially, stays within its cap, and is jittered', () => {
      const policy = { initialDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 10 };
      expect(backoffDelay(1, policy, () => 0)).toBe(50);
      expect(backoffDelay(1, policy, () => 1)).toBe(100);
      expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
      expect(backoffDelay(10, policy, () => 1)).toBe(1_000);
      expect(backoffDelay(10, policy, () => 0)).toBe(500);
    });
  });

  describe('fail fast', () => {
    it('throws StoreUnavailable quickly when nothing listens on the port', async () => {
      const nowhere = EsdbEventStore.fromConnectionString(`esdb://127.0.0.1:${await freePort()}?tls=false`);
      try {
        const startedAt = Date.now();
        expect(
          await rejectionOf(nowhere.appendToStream('order-1', [event()], { expectedRevision: 'any' })),
        ).toBeInstanceOf(StoreUnavailable);
        expect(await rejectionOf(collect(nowhere.readStream('order-1')))).toBeInstanceOf(StoreUnavailable);
        expect(await rejectionOf(collect(nowhere.readAll()))).toBeInstanceOf(StoreUnavailable);
        expect(await rejectionOf(nowhere.headPosition())).toBeInstanceOf(StoreUnavailable);
        expect(Date.now() - startedAt).toBeLessThan(2_000);
      } finally {
        await nowhere.close();
      }
    });

    it('throws StoreUnavailable after the operation timeout when the server accepts but never answers', async () => {
      ({ fake, store } = await start({}, { operationTimeoutMs: 300 }));
      await store.appendToStream('order-1', [event()], { expectedRevision: 'no_stream' });
      fake.setStalled(true);
      const startedAt = Date.now();
      expect(
        await rejectionOf(store.appendToStream('order-1', [event()], { expectedRevision: 0n })),
      ).toBeInstanceOf(StoreUnavailable);
      expect(await rejectionOf(collect(store.readStream('order-1')))).toBeInstanceOf(StoreUnavailable);
      expect(await rejectionOf(collect(store.readAll()))).toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - startedAt).toBeLessThan(2_000);
      fake.setStalled(false);
      expect(await collect(store.readStream('order-1'))).toHaveLength(1);
      expect(await collect(store.readAll())).toHaveLength(1);
    });

    it('with default options, a server that accepts but never answers fails commands within 2 s', async () => {
      // Frozen before the first call, so the client's server-features probe hangs too.
      ({ fake, store } = await start({}, {}));
      fake.setStalled(true);
      for (const attempt of [
        () => store.appendToStream('order-1', [event()], { expectedRevision: 'no_stream' }),
        () => collect(store.readStream('order-1')),
        () => collect(store.readAll()),
        () => store.headPosition(),
      ]) {
        const startedAt = Date.now();
        expect(await rejectionOf(attempt())).toBeInstanceOf(StoreUnavailable);
        expect(Date.now() - startedAt).toBeLessThan(2_000);
      }
      fake.setStalled(false);
    }, 15_000);

    it('refuses work once closed', async () => {
      await store.close();
      expect(
        await rejectionOf(store.appendToStream('x', [event()], { expectedRevision: 'any' })),
      ).toBeInstanceOf(StoreUnavailable);
    });
  });

  describe('error and position mapping', () => {
    it.each([
      ['BatchAppend', true],
      ['Append', false],
    ])('maps WrongExpectedVersion over Streams.%s with expected and actual', async (_name, batchAppend) => {
      ({ store } = await start({ batchAppend }));
      await store.appendToStream('order-1', events(2), { expectedRevision: 'no_stream' });
      const cases = [
        [{ expectedRevision: 'no_stream' as const }, 'no_stream', 1n],
        [{ expectedRevision: 0n }, '0', 1n],
        [{ expectedRevision: 7n }, '7', 1n],
      ] as const;
      for (const [options, expected, actual] of cases) {
        const error = await rejectionOf(store.appendToStream('order-1', [event()], options));
        expect(error).toBeInstanceOf(WrongExpectedVersion);
        expect(error).toMatchObject({ streamId: 'order-1', expected, actual });
      }
      const missing = await rejectionOf(
        store.appendToStream('order-2', [event()], { expectedRevision: 'stream_exists' }),
      );
      expect(missing).toMatchObject({ streamId: 'order-2', expected: 'stream_exists', actual: 'no_stream' });
    });

    it('maps a missing stream to StreamNotFound', async () => {
      const error = await rejectionOf(collect(store.readStream('nobody-1')));
      expect(error).toBeInstanceOf(StreamNotFound);
      expect(error).toMatchObject({ streamId: 'nobody-1' });
    });

    it('returns the original result of an idempotent re-append even when the server reports no position', async () => {
      ({ store } = await start({ idempotentAppendsReportPosition: false }));
      const batch = events(3);
      const first = await store.appendToStream('order-1', batch, { expectedRevision: 'no_stream' });
      await store.appendToStream('order-1', [event()], { expectedRevision: 2n });
      expect(await store.appendToStream('order-1', batch, { expectedRevision: 'no_stream' })).toEqual(first);
    });

    it('uses the commit position of the last event of a multi-event append', async () => {
      const result = await store.appendToStream('order-1', events(4), { expectedRevision: 'no_stream' });
      const read = await collect(store.readStream('order-1'));
      expect(result.position).toBe(read[3].position);
      expect(new Set(read.map((e) => e.position)).size).toBe(4);
    });

    it('keeps the created time the server recorded', async () => {
      const clock = new FixedClock('2026-03-04T05:06:07.089Z');
      ({ store } = await start({ now: () => clock.now() }));
      await store.appendToStream('order-1', [event()], { expectedRevision: 'no_stream' });
      const [read] = await collect(store.readStream('order-1'));
      expect(read.created.toISOString()).toBe('2026-03-04T05:06:07.089Z');
    });
  });

  it('combines an event-type filter (on the server) with stream prefixes (checked on arrival)', async () => {
    const wanted = event('call.Answered');
    await store.appendToStream('call-1', [event('callXAnswered'), wanted, event('Other')], {
      expectedRevision: 'no_stream',
    });
    await store.appendToStream('conference-1', [event('call.Answered')], { expectedRevision: 'no_stream' });
    const last = event('call.Answered');
    await store.appendToStream('call-2', [last], { expectedRevision: 'no_stream' });

    const consumer = new Consumer(
      store.subscribeToAll({ filter: { eventTypes: ['call.Answered'], streamPrefixes: ['call-'] } }),
    );
    expect((await consumer.take(2)).map((e) => e.id)).toEqual([wanted.id, last.id]);
  });

  describe('server-side filters', () => {
    it('page by a search window of hundreds and checkpoint, so a drop resumes after what the filter skipped', async () => {
      const match = event();
      await store.appendToStream('call-1', [match], { expectedRevision: 'no_stream' });
      for (let i = 0; i < 4; i++) {
        await store.appendToStream(`noise-${i}`, events(500), { expectedRevision: 'no_stream' });
      }
      const consumer = new Consumer(store.subscribeToAll({ filter: { streamPrefixes: ['call-'] } }));
      const [first] = await consumer.take(1);
      expect(first.id).toBe(match.id);
      const next = consumer.take(1);
      // The server searches the 2,000 skipped records and sends checkpoints meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 300));
      fake.dropSubscriptions();
      while (fake.subscriptionStarts().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));

      const resumedFrom = fake.subscriptionStarts()[1];
      expect(resumedFrom).not.toBeNull();
      expect(resumedFrom! > first.position).toBe(true);
      const later = event();
      await store.appendToStream('call-2', [later], { expectedRevision: 'no_stream' });
      expect((await next).map((e) => e.id)).toEqual([later.id]);
    });
  });

  describe("EventStoreDB's metadata conventions", () => {
    it('writes $correlationId and $causationId next to our keys, and reads back only the port metadata', async () => {
      const appended = event();
      await store.appendToStream('call-1', [appended], { expectedRevision: 'no_stream' });

      expect(fake.storedMetadata('call-1')).toEqual([
        {
          ...appended.metadata,
          $correlationId: appended.metadata.correlation_id,
          $causationId: appended.metadata.causation_id,
        },
      ]);
      const [read] = await collect(store.readStream('call-1'));
      expect(read.metadata).toEqual(appended.metadata);
      const [fromAll] = await collect(store.readAll());
      expect(fromAll.metadata).toEqual(appended.metadata);
    });
  });

  describe('system events in $all', () => {
    it('are skipped by readAll (including maxCount and backwards), headPosition and subscriptions', async () => {
      const first = event();
      const second = event();
      await store.appendToStream('order-1', [first], { expectedRevision: 'no_stream' });
      fake.appendSystemEvent();
      fake.appendSystemEvent('$$order-1', '$metadata');
      const last = await store.appendToStream('order-1', [second], { expectedRevision: 0n });
      fake.appendSystemEvent();

      expect((await collect(store.readAll())).map((e) => e.id)).toEqual([first.id, second.id]);
      expect((await collect(store.readAll({ maxCount: 2 }))).map((e) => e.id)).toEqual([first.id, second.id]);
      const backwards = await collect(store.readAll({ direction: 'backwards', maxCount: 2 }));
      expect(backwards.map((e) => e.id)).toEqual([second.id, first.id]);
      expect(await store.headPosition()).toBe(last.position);

      const consumer = new Consumer(store.subscribeToAll());
      await consumer.take(2);
      expect(consumer.received.map((e) => e.id)).toEqual([first.id, second.id]);
    });

    it('headPosition is null while $all holds only system events', async () => {
      expect(await store.headPosition()).toBeNull();
    });
  });

  it('close() ends an open subscription', async () => {
    const subscription = store.subscribeToAll();
    const pending = subscription[Symbol.asyncIterator]().next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.close();
    expect((await pending).done).toBe(true);
  });
});
