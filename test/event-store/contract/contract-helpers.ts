import { v7 as uuidv7 } from 'uuid';
import type {
  EventData,
  EventStore,
  JsonObject,
  RecordedEvent,
  Subscription,
} from '../../../src/event-store/event-store';

/** Resolves to the store under test; set by the suite's beforeAll. */
export type StoreRef = () => EventStore;

/**
 * Stream names unique to one test, sharing a prefix that no other test (or other data on a real server)
 * uses, so the test can filter `$all` down to its own events.
 */
export function uniqueStreams(): { prefix: string; stream: (name?: string) => string } {
  const prefix = `contract${uuidv7().replaceAll('-', '')}-`;
  return { prefix, stream: (name = 'main') => `${prefix}${name}` };
}

export function newEvent(type = 'ThingHappened', data: JsonObject = {}): EventData {
  const id = uuidv7();
  return {
    id,
    type,
    data,
    metadata: {
      correlation_id: id,
      causation_id: id,
      customer_id: 'customer-contract',
      actor: 'system:contract',
    },
  };
}

export function newEvents(count: number, type = 'ThingHappened'): EventData[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { n: i }));
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The test's own events in `$all` forwards from `from` (inclusive), stopping once `count` were seen. */
export async function readOwn(
  store: EventStore,
  prefix: string,
  from: bigint,
  count: number,
): Promise<RecordedEvent[]> {
  const own: RecordedEvent[] = [];
  for await (const event of store.readAll({ fromPosition: from })) {
    if (!event.streamId.startsWith(prefix)) continue;
    own.push(event);
    if (own.length >= count) break;
  }
  return own;
}

/**
 * Takes `count` events from a subscription, or fails after `timeoutMs` saying how many arrived.
 * With `pauseEvery`, the consumer yields to the event loop after that many events, like a slow consumer.
 */
export async function take(
  subscription: Subscription,
  count: number,
  timeoutMs = 10_000,
  pauseEvery = 0,
): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  const timer = setTimeout(() => void subscription.unsubscribe(), timeoutMs);
  try {
    for await (const event of subscription) {
      out.push(event);
      if (out.length >= count) break;
      if (pauseEvery > 0 && out.length % pauseEvery === 0)
        await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    clearTimeout(timer);
  }
  if (out.length < count) throw new Error(`subscription delivered ${out.length} of ${count} events in time`);
  return out;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

export function expectStrictlyIncreasing(values: readonly bigint[]): void {
  for (let i = 1; i < values.length; i++) {
    if (values[i] <= values[i - 1]) {
      throw new Error(`not strictly increasing at index ${i}: ${values[i - 1]} then ${values[i]}`);
    }
  }
}

/** Where to start a subscription so that it only sees what the test appends next. */
export async function subscribeStart(store: EventStore): Promise<bigint | 'start'> {
  return (await store.headPosition()) ?? 'start';
}
