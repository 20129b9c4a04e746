import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store';

/** Enough for every live subscriber to be served from memory while a few thousand appends per second land. */
const CAPACITY = 8192;

/**
 * The tail of `$all` as this process committed it. A live subscription (projections, reactors: several per
 * process) asks "what came after position p?" after every commit; answering from here spares each of them
 * a query and a JSON parse of the same events. Events are frozen because all subscribers share them.
 *
 * Only a contiguous run of positions is kept. Another process appending to the same file (the CLI) leaves
 * a gap in the positions this process sees, and the run restarts; anything not covered is answered with
 * null and read from SQLite, so the cache can only make reads cheaper, never different.
 */
export class RecentEvents {
  private events: RecordedEvent[] = [];

  /** Records a committed batch, in position order. */
  add(batch: readonly RecordedEvent[]): void {
    if (batch.length === 0) return;
    const last = this.events.at(-1);
    if (last && batch[0].position !== last.position + 1n) this.events = [];
    for (const event of batch) this.events.push(event);
    if (this.events.length > 2 * CAPACITY) this.events = this.events.slice(-CAPACITY);
  }

  /**
   * Events (without system events) strictly after `position`, up to `limit`; null when the cache cannot
   * tell (position older than the cache, or at or past its end, where SQLite may know of newer events).
   */
  after(position: bigint, limit: number): RecordedEvent[] | null {
    const first = this.events[0];
    const last = this.events.at(-1);
    if (!first || !last || position < first.position - 1n || position >= last.position) return null;
    const start = Number(position - first.position + 1n);
    const page: RecordedEvent[] = [];
    for (let i = start; i < this.events.length && page.length < limit; i++) {
      if (!this.events[i].type.startsWith('$')) page.push(this.events[i]);
    }
    // Only system events left: let SQLite answer, it may also know of events another process wrote.
    return page.length > 0 ? page : null;
  }
}

/** Builds the shared, frozen copy of an event from the JSON that was just written. */
export function committedEvent(
  streamId: string,
  revision: bigint,
  position: bigint,
  id: string,
  type: string,
  dataJson: string,
  metadataJson: string,
  created: Date,
): RecordedEvent {
  return Object.freeze({
    streamId,
    revision,
    position,
    id,
    type,
    data: deepFreeze(JSON.parse(dataJson) as JsonObject),
    metadata: deepFreeze(JSON.parse(metadataJson) as EventMetadata),
    created,
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
