import { Inject, Injectable } from '@nestjs/common';
import type { PublishedEvent } from '../event-catalog/cloud-event';
import { PublicEventTranslator } from '../event-catalog/public-event-translator';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { type FeedFilter, matchesFeedFilter } from './feed-filter';

export interface ReadPage {
  events: PublishedEvent[];
  /** Last position scanned, matching or not: where the next read starts. */
  lastPosition: bigint;
}

const SCAN_PAGE = 500;

/** History reads of the public events after a position, for catch-up and for the JSON polling page. */
@Injectable()
export class EventReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly translator: PublicEventTranslator,
  ) {}

  /** The store's head: what a poll may read up to (the hub may still be a few events behind it). */
  async head(): Promise<bigint> {
    return (await this.store.headPosition()) ?? 0n;
  }

  /**
   * Public events matching `filter` with `after < position <= until`, at most `limit`, scanning at most
   * `maxScanned` stored events (so a selective filter over a long history answers in bounded time).
   */
  async read(
    filter: FeedFilter,
    after: bigint,
    until: bigint,
    limit: number,
    maxScanned = Number.MAX_SAFE_INTEGER,
  ): Promise<ReadPage> {
    const events: PublishedEvent[] = [];
    let lastPosition = after;
    let scanned = 0;
    while (lastPosition < until && events.length < limit && scanned < maxScanned) {
      let progressed = false;
      // readAll is inclusive of fromPosition; positions need not be contiguous (EventStoreDB), so skip it.
      for await (const recorded of this.store.readAll({ fromPosition: lastPosition, maxCount: SCAN_PAGE })) {
        if (recorded.position <= lastPosition) continue;
        if (recorded.position > until) break;
        progressed = true;
        scanned++;
        lastPosition = recorded.position;
        const published = await this.translator.translate(recorded);
        if (published && matchesFeedFilter(filter, published)) events.push(published);
        if (events.length >= limit || scanned >= maxScanned) break;
      }
      if (!progressed) break;
    }
    return { events, lastPosition };
  }
}
