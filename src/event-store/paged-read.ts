import type { RecordedEvent } from './event-store';

export interface Page {
  events: RecordedEvent[];
  /** Nothing follows this page. */
  last: boolean;
}

/** One page read: synchronous (SQLite) or not (EventStoreDB, a whole page per server call). */
export type PageRead = () => Page | Promise<Page>;

/**
 * An async iterable over pages, calling `pause` between pages if given (SQLite reads synchronously and
 * pauses for a macrotask, so timers, I/O and appends get in; a read that ends after its page returns at
 * once).
 *
 * Hand-written rather than an async generator: a generator costs about four promises per event (each
 * `yield` awaits, each `next()` queues a request), and every promise also runs the async hooks of the
 * process's context tracking; here an event costs the one promise of `next()`. Same contract: a read error
 * rejects that `next()` and ends the iteration; `return()` ends it.
 */
export function pagedRead(readPage: PageRead, pause?: () => Promise<void>): AsyncIterable<RecordedEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
      let page: RecordedEvent[] = [];
      let at = 0;
      let done = false;
      let started = false;
      const finished = (): IteratorResult<RecordedEvent> => {
        done = true;
        page = [];
        return { done: true, value: undefined };
      };
      return {
        async next() {
          for (;;) {
            if (at < page.length) return { done: false, value: page[at++] };
            if (done) return finished();
            if (started && pause) await pause();
            started = true;
            if (done) return finished();
            try {
              ({ events: page, last: done } = await readPage());
            } catch (error) {
              finished();
              throw error;
            }
            at = 0;
          }
        },
        async return() {
          return finished();
        },
      };
    },
  };
}
