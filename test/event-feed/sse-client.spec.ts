import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { PublishedEvent } from '../../src/event-catalog/cloud-event';
import type { EventHub, HubListener } from '../../src/event-feed/event-hub';
import type { EventReader } from '../../src/event-feed/event-reader';
import { SseClient } from '../../src/event-feed/sse-client';

/** A socket that takes the first frames and then never drains: a client that stopped reading. */
class StuckResponse extends EventEmitter {
  readonly frames: string[] = [];
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  constructor(private accepts: number) {
    super();
  }
  writeHead() {
    return this;
  }
  /** A write may carry several frames (the client writes a tick's frames at once): keep them apart. */
  write(chunk: string | Buffer): boolean {
    this.frames.push(...String(chunk).split(/(?<=\n\n)/));
    if (this.accepts-- > 0) return true;
    this.writableLength += chunk.length;
    return false;
  }
  end() {
    this.writableEnded = true;
  }
  destroy() {
    this.destroyed = true;
  }
}

class FakeHub {
  position = 10n;
  readonly listeners = new Set<HubListener>();
  add(listener: HubListener) {
    this.listeners.add(listener);
  }
  remove(listener: HubListener) {
    this.listeners.delete(listener);
  }
  publish(event: PublishedEvent | null) {
    this.position += 1n;
    for (const listener of this.listeners) listener.onEvent(event, this.position);
  }
}

const reader = { read: async () => ({ events: [], lastPosition: 10n }) } as unknown as EventReader;
const event = (position: bigint, customerId = 'a'): PublishedEvent => ({
  position,
  customerId,
  orderingKey: 'k',
  callId: 'c',
  conferenceId: null,
  cloudEvent: { type: 'call.created', id: `e${position}`, data: { pad: 'x'.repeat(100) } } as never,
});
const limits = {
  heartbeatMs: 60_000,
  bookmarkMs: 60_000,
  maxBufferedEvents: 5,
  maxBufferedBytes: 1_000_000,
  retryMs: 2000,
};
const filter = { customerId: 'a', types: null, callId: null, conferenceId: null };
/** Frames of one tick go out together at its end: let each event's tick end, as the live hub's do. */
const nextTick = () => new Promise((resolve) => setImmediate(resolve));
/** A started client on `response`, following `hub` from position 10. */
async function connected(response: StuckResponse, hub: FakeHub, clientLimits = limits): Promise<SseClient> {
  const client = new SseClient(
    response as unknown as ServerResponse,
    filter,
    'key-1',
    hub as unknown as EventHub,
    reader,
    clientLimits,
    10n,
  );
  await client.start();
  return client;
}

describe('SseClient', () => {
  it('closes a client that stops reading once its buffer is full, with a retry hint, and frees it', async () => {
    const response = new StuckResponse(3);
    const hub = new FakeHub();
    const client = await connected(response, hub);
    for (let i = 0; i < 20 && !response.destroyed; i++) {
      hub.publish(event(hub.position + 1n));
      await nextTick();
    }
    expect(response.destroyed).toBe(true);
    expect(hub.listeners.size).toBe(0);
    expect(response.frames.at(-1)).toBe('retry: 2000\n\n');
    // What reached the socket is in order and ends before the overflow: the client resumes from its last id.
    const ids = response.frames.filter((f) => f.startsWith('id:')).map((f) => f.split('\n')[0]);
    expect(ids).toEqual(
      ['id: 11', 'id: 12', 'id: 13', 'id: 14', 'id: 15', 'id: 16', 'id: 17'].slice(0, ids.length),
    );
  });

  it('bounds the buffer in bytes too', async () => {
    const response = new StuckResponse(1);
    const hub = new FakeHub();
    const client = await connected(response, hub, {
      ...limits,
      maxBufferedEvents: 1000,
      maxBufferedBytes: 2000,
    });
    for (let i = 0; i < 50 && !response.destroyed; i++) {
      hub.publish(event(hub.position + 1n));
      await nextTick();
    }
    expect(response.destroyed).toBe(true);
  });

  it('sends only its tenant’s events, and bookmarks the position', async () => {
    const response = new StuckResponse(1000);
    const hub = new FakeHub();
    const client = await connected(response, hub, { ...limits, bookmarkMs: 20 });
    hub.publish(event(11n, 'b'));
    hub.publish(null);
    await new Promise((resolve) => setTimeout(resolve, 60));
    client.close();
    expect(response.frames.some((f) => f.startsWith('id:'))).toBe(false);
    expect(response.frames).toContain('event: bookmark\nid: 12\ndata: {"position":"12"}\n\n');
  });

  it('writes the frames of one tick in one socket write, in order', async () => {
    const response = new StuckResponse(1000);
    const writes = jest.spyOn(response, 'write');
    const hub = new FakeHub();
    const client = await connected(response, hub);
    const before = writes.mock.calls.length;
    for (let i = 0; i < 3; i++) hub.publish(event(hub.position + 1n));
    await nextTick();
    client.close();
    expect(writes.mock.calls.length - before).toBe(1);
    const ids = response.frames.filter((f) => f.startsWith('id:')).map((f) => f.split('\n')[0]);
    expect(ids).toEqual(['id: 11', 'id: 12', 'id: 13']);
  });

  const many = { ...limits, maxBufferedEvents: 1000 };
  const idsOf = (response: StuckResponse) =>
    response.frames.filter((f) => f.startsWith('id:')).map((f) => f.split('\n')[0]);

  it('gives each client its own frames when their ticks differ (one joined write is shared only by equals)', async () => {
    const hub = new FakeHub();
    const [a, b, c] = [new StuckResponse(1000), new StuckResponse(1000), new StuckResponse(1000)];
    const clients = [
      await connected(a, hub, many),
      await connected(b, hub, many),
      await connected(c, hub, many),
    ];
    await nextTick();
    const [e11, e12, e13] = [event(11n), event(12n), event(13n)];
    clients[0].onEvent(e11, 11n);
    clients[0].onEvent(e12, 12n);
    clients[1].onEvent(e11, 11n);
    clients[1].onEvent(e12, 12n);
    clients[2].onEvent(e11, 11n);
    clients[2].onEvent(e13, 13n);
    await nextTick();
    for (const client of clients) client.close();
    expect(idsOf(a)).toEqual(['id: 11', 'id: 12']);
    expect(idsOf(b)).toEqual(['id: 11', 'id: 12']);
    expect(idsOf(c)).toEqual(['id: 11', 'id: 13']);
  });

  it('lets the event loop run during a long flush pass, and still writes every client in order', async () => {
    /** A socket whose write costs 0.1 ms of CPU, so 200 clients take longer than one slice. */
    class SlowResponse extends StuckResponse {
      static order: number[] = [];
      constructor(private readonly index: number) {
        super(1000);
      }
      override write(chunk: string | Buffer): boolean {
        const until = performance.now() + 0.1;
        while (performance.now() < until);
        if (String(chunk).includes('id: 11')) SlowResponse.order.push(this.index);
        return super.write(chunk);
      }
    }
    const hub = new FakeHub();
    const responses = Array.from({ length: 200 }, (_, i) => new SlowResponse(i));
    const clients = [];
    for (const response of responses) clients.push(await connected(response, hub, many));
    await nextTick();
    hub.publish(event(11n));
    let writtenWhenOtherWorkRan = -1;
    setImmediate(() => {
      writtenWhenOtherWorkRan = SlowResponse.order.length;
    });
    while (SlowResponse.order.length < responses.length) await nextTick();
    for (const client of clients) client.close();
    expect(writtenWhenOtherWorkRan).toBeGreaterThan(0);
    expect(writtenWhenOtherWorkRan).toBeLessThan(responses.length);
    expect(SlowResponse.order).toEqual(responses.map((_, i) => i));
  });
});
