import { Inject, Injectable } from '@nestjs/common';
import { CALL_STREAM_PREFIX } from '../calls/call-stream';
import { CONFERENCE_STREAM_PREFIX } from '../conferences/conference-stream';
import { CONFERENCECALL_STREAM_PREFIX } from '../conferences/conferencecall';
import { CLOCK, type Clock } from '../domain/clock';
import { PublicEventTranslator } from '../event-catalog/public-event-translator';
import type { RecordedEvent } from '../event-store/event-store';
import { ProjectionEngine } from '../projections/projection-engine';
import type { Reactor } from '../reactors/reactor';
import { WEBHOOK_ENDPOINTS_PROJECTION } from './webhook-endpoints.projection';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookQueries } from './webhook-queries';

/** How long a reaction waits for the endpoints read model before failing (and being retried). */
const ENDPOINTS_WAIT_MS = 10_000;

/**
 * Turns every public event into one delivery per subscribed endpoint, written to the outbox in the store.
 * A reactor (checkpointed in reactors.db, at-least-once), so a read-model rebuild never re-sends, and a
 * crash between two endpoints re-reacts without duplicates (delivery ids are derived). Only endpoints
 * created before the event get it: the reaction first waits until the endpoints read model has passed
 * the event's position, so an endpoint created just before is never missed.
 */
@Injectable()
export class WebhookOutboxReactor implements Reactor {
  readonly name = 'webhook-outbox';
  readonly filter = {
    streamPrefixes: [CALL_STREAM_PREFIX, CONFERENCE_STREAM_PREFIX, CONFERENCECALL_STREAM_PREFIX],
  };

  constructor(
    private readonly translator: PublicEventTranslator,
    private readonly queries: WebhookQueries,
    private readonly outbox: WebhookOutbox,
    private readonly engine: ProjectionEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async react(recorded: RecordedEvent): Promise<void> {
    const event = await this.translator.translate(recorded);
    if (event === null) return;
    const caughtUp = await this.engine.waitForPosition(recorded.position, {
      projections: [WEBHOOK_ENDPOINTS_PROJECTION],
      timeoutMs: ENDPOINTS_WAIT_MS,
    });
    if (!caughtUp) throw new Error(`webhook endpoints read model is behind position ${recorded.position}`);
    const at = this.clock.now().toISOString();
    // Concurrent appends share one group commit (one fsync) instead of one each.
    const subscribers = this.queries.subscribersAt(event.customerId, event.position);
    await Promise.all(
      subscribers
        .filter(({ endpoint }) => this.outbox.wants(endpoint, event))
        .map(({ endpoint }) => this.outbox.schedule(endpoint, event, at)),
    );
  }
}
