import { Inject, Injectable } from '@nestjs/common';
import { CALL_STREAM_PREFIX } from '../calls/call-stream';
import { CONFERENCE_STREAM_PREFIX } from '../conferences/conference-stream';
import { CONFERENCECALL_STREAM_PREFIX } from '../conferences/conferencecall';
import { CLOCK, type Clock } from '../domain/clock';
import type { PublishedEvent } from '../event-catalog/cloud-event';
import { PublicEventTranslator } from '../event-catalog/public-event-translator';
import type { RecordedEvent } from '../event-store/event-store';
import { ProjectionEngine } from '../projections/projection-engine';
import type { Reactor } from '../reactors/reactor';
import { WEBHOOK_ENDPOINTS_PROJECTION } from './webhook-endpoints.projection';
import { WebhookOutbox } from './webhook-outbox';
import { type EndpointRecord, WebhookQueries } from './webhook-queries';

/** How long a reaction waits for the endpoints read model before failing (and being retried). */
const ENDPOINTS_WAIT_MS = 10_000;
/** Events per reaction: their deliveries share one group commit (the store flushes at 2,000 events). */
const MAX_BATCH = 256;

/**
 * Turns every public event into one delivery per subscribed endpoint, written to the outbox in the store.
 * A reactor (checkpointed in reactors.db, at-least-once), so a read-model rebuild never re-sends, and a
 * crash between two endpoints re-reacts without duplicates (delivery ids are derived). Only endpoints
 * created before the event get it: the reaction first waits until the endpoints read model has passed
 * the event's position, so an endpoint created just before is never missed.
 *
 * It reacts to batches (what the feed has ready, up to MAX_BATCH events): one wait for the read model,
 * one endpoint query per tenant and one group commit for all their deliveries, instead of one of each per
 * event, which under load cost an event-loop turn each and capped the outbox near 50 events/s. Order
 * holds: a batch is committed before the next one starts, and within one transaction the dispatcher sees
 * all or none of it.
 */
@Injectable()
export class WebhookOutboxReactor implements Reactor {
  readonly name = 'webhook-outbox';
  readonly filter = {
    streamPrefixes: [CALL_STREAM_PREFIX, CONFERENCE_STREAM_PREFIX, CONFERENCECALL_STREAM_PREFIX],
  };
  readonly maxBatch = MAX_BATCH;

  constructor(
    private readonly translator: PublicEventTranslator,
    private readonly queries: WebhookQueries,
    private readonly outbox: WebhookOutbox,
    private readonly engine: ProjectionEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  react(recorded: RecordedEvent): Promise<void> {
    return this.reactBatch([recorded]);
  }

  async reactBatch(batch: readonly RecordedEvent[]): Promise<void> {
    const events: PublishedEvent[] = [];
    // In order, one by one: the translator extends its cached fold of each stream event by event.
    for (const recorded of batch) {
      const event = await this.translator.translate(recorded);
      if (event !== null) events.push(event);
    }
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    const caughtUp = await this.engine.waitForPosition(last, {
      projections: [WEBHOOK_ENDPOINTS_PROJECTION],
      timeoutMs: ENDPOINTS_WAIT_MS,
    });
    if (!caughtUp) throw new Error(`webhook endpoints read model is behind position ${last}`);
    const at = this.clock.now().toISOString();
    const endpointsOf = this.subscribersUpTo(last);
    // Every delivery of the batch is appended concurrently: they share one group commit (one fsync).
    await Promise.all(events.flatMap((event) => this.deliveriesOf(event, endpointsOf(event.customerId), at)));
  }

  /**
   * The deliveries one public event makes, not awaited (the batch awaits them together): one per
   * subscribed endpoint that existed before the event. The runner calls `reactBatch`, never `react`, so a
   * per-event addition belongs here.
   */
  private deliveriesOf(event: PublishedEvent, endpoints: EndpointRecord[], at: string): Promise<string>[] {
    return endpoints
      .filter(
        ({ endpoint, createdPosition }) =>
          createdPosition < event.position && this.outbox.wants(endpoint, event),
      )
      .map(({ endpoint }) => this.outbox.schedule(endpoint, event, at));
  }

  /** Each tenant's endpoints queried once per batch; `createdPosition` then picks those older than each event. */
  private subscribersUpTo(last: bigint): (customerId: string) => EndpointRecord[] {
    const byCustomer = new Map<string, EndpointRecord[]>();
    return (customerId) => {
      let records = byCustomer.get(customerId);
      if (records === undefined) {
        records = this.queries.subscribersAt(customerId, last + 1n);
        byCustomer.set(customerId, records);
      }
      return records;
    };
  }
}
