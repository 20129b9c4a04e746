import type { RecordedEvent } from '../event-store';
import { nextMacrotask } from './sqlite-subscription';

/** One synchronous page read; `last`: nothing follows it. */
export type PageRead = () => { events: RecordedEvent[]; last: boolean };

/**
 * An async iterable over pages read synchronously, pausing for one macrotask between pages (timers, I/O
 * and appends get in; a read that ends after its page returns at once).
 *
 * Hand-written rather than an async generator: a generator costs about four promises per event (each
 * `yield` awaits, each `next()` queues a request), and every promise also runs the async hooks of the
 * process's context tracking; here an event costs the one promise of `next()`. Same contract: a read error
 * rejects that `next()` and ends the iteration; `return()` ends it.
 */
export function pagedRead(readPage: PageRead): AsyncIterable<RecordedEvent> {
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
            if (started) await nextMacrotask();
            started = true;
            if (done) return finished();
            try {
              ({ events: page, last: done } = readPage());
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
