import type { ServerResponse } from 'node:http';
import { cloudEventJson, type PublishedEvent } from '../event-catalog/cloud-event';
import type { EventHub, HubListener } from './event-hub';
import type { EventReader } from './event-reader';
import { type FeedFilter, matchesFeedFilter } from './feed-filter';
import { scheduleFlush } from './sse-flush';

export interface SseLimits {
  heartbeatMs: number;
  bookmarkMs: number;
  /** Frames waiting for this socket before it is closed as too slow. */
  maxBufferedEvents: number;
  maxBufferedBytes: number;
  /** `retry:` hint: how long a client waits before reconnecting. */
  retryMs: number;
}

/** Frames gathered in one tick are written at once; a burst this large goes out without waiting. */
const FLUSH_AT_FRAMES = 64;

/** A thousand clients share one event object: encode its frame once, as bytes, not once per client. */
const frames = new WeakMap<PublishedEvent, Buffer>();
function frameOf(event: PublishedEvent): Buffer {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = Buffer.from(`id: ${event.position}\ndata: ${cloudEventJson(event)}\n\n`);
    frames.set(event, frame);
  }
  return frame;
}

/**
 * Clients that got the same events in a tick (the common case: one tenant's dashboards) hold the same
 * frame buffers in the same order; the flush writes them one after the other, so the last concatenation
 * is kept and reused when the next queue holds the same buffers, instead of a copy per client.
 */
let lastParts: Buffer[] = [];
let lastJoined: Buffer | null = null;
function joined(parts: Buffer[], bytes: number): Buffer {
  if (
    lastJoined !== null &&
    parts.length === lastParts.length &&
    parts.every((part, i) => part === lastParts[i])
  )
    return lastJoined;
  lastParts = parts;
  lastJoined = Buffer.concat(parts, bytes);
  return lastJoined;
}

/**
 * One SSE connection. It first catches up from its resume position with its own reads, while the hub's
 * live events after the hub's position at join time wait in `pending`; then it drains `pending` and goes
 * live. Since the join happens between two hub events, nothing is missed or repeated.
 *
 * Frames are not written one by one: those of one tick (a group commit delivers many events at once) go
 * to the socket in one write when the tick ends (`sse-flush`), which for a thousand clients is the
 * difference between a thousand syscalls per event and a thousand per tick.
 *
 * Memory is bounded per client: frames the socket does not take are queued up to `maxBufferedEvents` or
 * `maxBufferedBytes`; past that the client is told to `retry:` and closed. It resumes from its last
 * `id:` with nothing lost, since every frame it did not get is still in the store.
 */
export class SseClient implements HubListener {
  /** Frames not handed to the socket yet: this tick's, or those the socket refused (`writable` false). */
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private pending: { event: PublishedEvent | null; position: bigint }[] | null = [];
  private position: bigint;
  /** Last `id:` written (event or bookmark), so a bookmark is sent only when the position moved. */
  private lastSentId: bigint;
  private closed = false;
  private writable = true;
  /** @internal Set by `scheduleFlush` while this client waits for the end of the tick. */
  flushArmed = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly raw: ServerResponse,
    readonly filter: FeedFilter,
    readonly keyId: string,
    private readonly hub: EventHub,
    private readonly reader: EventReader,
    private readonly limits: SseLimits,
    after: bigint,
  ) {
    this.position = after;
    this.lastSentId = after;
  }

  async start(): Promise<void> {
    this.raw.on('close', () => this.close());
    this.raw.on('drain', () => {
      this.writable = true;
      this.flush();
    });
    this.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.write(`retry: ${this.limits.retryMs}\n\n`);
    this.flush();
    const until = this.hub.position;
    this.hub.add(this);
    this.timers.push(
      setInterval(() => this.write(': heartbeat\n\n'), this.limits.heartbeatMs),
      setInterval(() => this.bookmark(), this.limits.bookmarkMs),
    );
    try {
      await this.catchUp(until);
    } catch {
      this.close();
      return;
    }
    const pending = this.pending ?? [];
    this.pending = null;
    for (const { event, position } of pending) this.onEvent(event, position);
  }

  onEvent(event: PublishedEvent | null, position: bigint): void {
    if (this.closed) return;
    if (this.pending) {
      if (event === null || !matchesFeedFilter(this.filter, event)) return;
      this.pending.push({ event, position });
      if (this.pending.length > this.limits.maxBufferedEvents) this.overflow();
      return;
    }
    if (position <= this.position) return;
    this.position = position;
    if (event && matchesFeedFilter(this.filter, event)) this.send(event);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.hub.remove(this);
    this.queue = [];
    this.pending = null;
    if (!this.raw.writableEnded) this.raw.end();
  }

  /** @internal Hands the queued frames to the socket in one write, if it takes them. */
  flush(): void {
    if (this.closed || !this.writable || this.queue.length === 0) return;
    const data = this.queue.length === 1 ? this.queue[0] : joined(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.writable = this.raw.write(data);
  }

  private async catchUp(until: bigint): Promise<void> {
    while (this.position < until && !this.closed) {
      const before = this.position;
      const page = await this.reader.read(this.filter, before, until, 200);
      for (const event of page.events) this.send(event);
      this.position = page.lastPosition;
      if (page.events.length === 0) this.bookmark();
      this.flush();
      // Nothing stored between here and `until` (its last events were not public): we are there.
      if (page.lastPosition === before) break;
      // Catch-up paces itself on the socket instead of filling the buffer.
      while (!this.writable && !this.closed) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (this.position < until) this.position = until;
  }

  private send(event: PublishedEvent): void {
    this.lastSentId = event.position;
    this.enqueue(frameOf(event));
  }

  /** An event carrying only the position, so a reconnect after a quiet filter does not rescan. */
  private bookmark(): void {
    // Live, every event up to the hub's position has been offered to us: that is where we are.
    if (this.pending === null && this.hub.position > this.position) this.position = this.hub.position;
    if (this.position === this.lastSentId) return;
    this.lastSentId = this.position;
    const position = this.position.toString();
    this.write(`event: bookmark\nid: ${position}\ndata: {"position":"${position}"}\n\n`);
  }

  private write(frame: string): void {
    this.enqueue(Buffer.from(frame));
  }

  private enqueue(frame: Buffer): void {
    if (this.closed) return;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    if (!this.writable) {
      if (
        this.queue.length > this.limits.maxBufferedEvents ||
        this.queuedBytes + this.raw.writableLength > this.limits.maxBufferedBytes
      )
        this.overflow();
      return;
    }
    if (this.queue.length >= FLUSH_AT_FRAMES) this.flush();
    else scheduleFlush(this);
  }

  /** Too slow: say when to come back and drop the socket, so its buffers are freed now. */
  private overflow(): void {
    if (this.closed) return;
    this.raw.write(`retry: ${this.limits.retryMs}\n\n`);
    this.close();
    this.raw.destroy();
  }
}
