import {
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  type EventStoreDBClient,
  FORWARDS,
  START,
  type StreamingRead,
} from '@eventstore/db-client';
import type { Direction, RecordedEvent } from '../event-store';
import { StoreUnavailable } from '../event-store.errors';
import { pagedRead } from '../paged-read';
import { toPortError, withinDeadline } from './esdb-errors';
import { isSystemEventType, toClientPosition, toRecordedEvent } from './esdb-mapping';

/** Reading from EventStoreDB with fail-fast deadlines, cancellation, and `$all` without system events. */

/**
 * Iterates a client read. Each wait for the next event is bounded by `timeoutMs` (a whole read may take
 * longer); failures become port errors; stopping early cancels the server-side read, which would
 * otherwise stay open until the client is disposed.
 */
export async function* guardedRead<E>(
  read: StreamingRead<E>,
  timeoutMs: number,
  context: { streamId?: string; what: string },
): AsyncGenerator<E> {
  // The client emits 'error' on the stream; once we stop listening an unhandled one would crash the process.
  read.on('error', () => undefined);
  const iterator = read[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      let next: IteratorResult<E>;
      try {
        // Events already buffered need no timer: only a wait on the network can hang.
        next =
          read.readableLength > 0
            ? await iterator.next()
            : await withinDeadline(iterator.next(), timeoutMs, context.what);
      } catch (error) {
        throw toPortError(error, context);
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) {
      read.cancel().catch(() => undefined);
      read.destroy();
    }
  }
}

export interface AllReadOptions {
  from: bigint | 'start' | 'end';
  direction: Direction;
  maxCount: number;
}

/** Extra events asked for per page, so a few system events do not cost another round trip. */
const SYSTEM_EVENT_SLACK = 8;

/**
 * Events per `$all` read call. Large enough that a catch-up is not a round trip every few events, small
 * enough that no server-side read stays open for as long as a slow consumer takes.
 */
export const ALL_READ_PAGE = 1000;

/** Events the client buffers ahead of the consumer (its default, 16, stalls the gRPC stream). */
export const CLIENT_BUFFER = 512;

/**
 * `$all` as the port defines it: system events skipped, `maxCount` counting only the others, and a
 * backwards read from a position INCLUDING the event at that position. The server treats a backwards
 * start position as the end of the range (that event excluded), so it is fetched first with a forward
 * read of one.
 *
 * Read a page at a time (`readAllPage`: one server call, its events collected from the stream's `data`
 * events) and handed out by `pagedRead`: an event costs the one promise of `next()`, where the nested async
 * generators it replaced cost about ten, each also running the process's async-context hooks.
 */
export function readAllWithoutSystemEvents(
  client: EventStoreDBClient,
  options: AllReadOptions,
  timeoutMs: number,
): AsyncIterable<RecordedEvent> {
  let remaining = options.maxCount;
  const { direction } = options;
  let from = options.from;
  // Forward reads are inclusive: when paging on from the last event seen, skip that one.
  let alreadySeen: bigint | null = null;
  let probe = direction === 'backwards' && typeof options.from === 'bigint' ? options.from : null;
  return pagedRead(async () => {
    const events: RecordedEvent[] = [];
    if (remaining <= 0) return { events, last: true };
    if (probe !== null) {
      const at = probe;
      probe = null;
      for (const event of await readAllPage(
        client,
        { from: at, direction: 'forwards', maxCount: 1 },
        timeoutMs,
      )) {
        if (event.position?.commit === at && !isSystemEventType(event.type)) {
          events.push(toRecordedEvent(event));
          remaining -= 1;
        }
      }
      return { events, last: remaining <= 0 };
    }
    const wanted = Math.min(ALL_READ_PAGE, remaining + SYSTEM_EVENT_SLACK);
    const pageSize: number = wanted + (alreadySeen === null ? 0 : 1);
    const page = await readAllPage(client, { from, direction, maxCount: pageSize }, timeoutMs);
    let last: bigint | null = null;
    for (const event of page) {
      last = event.position?.commit ?? null;
      if (last === alreadySeen || isSystemEventType(event.type)) continue;
      events.push(toRecordedEvent(event));
      remaining -= 1;
      if (remaining <= 0) return { events, last: true };
    }
    if (page.length < pageSize || last === null) return { events, last: true };
    from = last;
    alreadySeen = direction === 'forwards' ? last : null;
    return { events, last: false };
  });
}

/** Position of the last record in `$all`, system events included; null when `$all` is empty. */
export async function lastRecordPosition(
  client: EventStoreDBClient,
  timeoutMs: number,
): Promise<bigint | null> {
  const [event] = await readAllPage(client, { from: 'end', direction: 'backwards', maxCount: 1 }, timeoutMs);
  return event?.position?.commit ?? null;
}

/**
 * One `$all` read call, its records collected as the stream emits them. A wait of more than `timeoutMs`
 * for the next record (a silent or half-open server) fails the read with `StoreUnavailable` and cancels it
 * on the server, as `guardedRead` does per event.
 */
function readAllPage(
  client: EventStoreDBClient,
  options: AllReadOptions,
  timeoutMs: number,
): Promise<AllStreamRecordedEvent[]> {
  return new Promise((resolve, reject) => {
    const read: StreamingRead<AllStreamResolvedEvent> = client.readAll(
      {
        fromPosition:
          options.from === 'start' ? START : options.from === 'end' ? END : toClientPosition(options.from),
        direction: options.direction === 'forwards' ? FORWARDS : BACKWARDS,
        maxCount: options.maxCount,
        // A one-event probe (head, "end") is over as soon as the server answers; a page is bounded per wait.
        ...(options.maxCount === 1 ? { deadline: timeoutMs } : {}),
      },
      { highWaterMark: CLIENT_BUFFER },
    );
    const events: AllStreamRecordedEvent[] = [];
    const stall = setTimeout(() => {
      reject(new StoreUnavailable(`read $all: no answer from EventStoreDB in ${timeoutMs} ms`));
      // A call the client has not started yet (its server-features probe hangs too) may not cancel.
      try {
        read.cancel().catch(() => undefined);
        read.destroy();
      } catch {
        // nothing to cancel
      }
    }, timeoutMs);
    read.on('data', (resolved: AllStreamResolvedEvent) => {
      stall.refresh();
      // Unresolved links carry no event; this adapter never asks for link resolution.
      if (resolved.event) events.push(resolved.event);
    });
    read.on('end', () => {
      clearTimeout(stall);
      resolve(events);
    });
    read.on('error', (error) => {
      clearTimeout(stall);
      reject(toPortError(error));
    });
  });
}
