import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/domain-error';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../event-store/event-store';
import { StreamNotFound } from '../../event-store/event-store.errors';
import type { ConferenceCreated } from '../conference';
import { conferenceStreamId } from '../conference-stream';
import type { ConferenceEventView } from '../conference-view';

/**
 * GET /v1/conferences/:id/events: the conference's own stream, straight from the event store (the audit
 * trail is the source of truth, not a read model). The tenant is the one named by the creation event.
 */
@Injectable()
export class ConferenceAudit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async events(customerId: string, conferenceId: string): Promise<ConferenceEventView[]> {
    const recorded: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(conferenceStreamId(conferenceId))) recorded.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
    const first = recorded[0];
    const owner =
      first?.type === 'ConferenceCreated' ? (first.data as ConferenceCreated['data']).customerId : null;
    if (owner !== customerId)
      throw notFound('conference.not_found', `Conference ${conferenceId} not found`, { conferenceId });
    return recorded.map((event) => ({
      revision: event.revision.toString(),
      position: event.position.toString(),
      id: event.id,
      type: event.type,
      data: event.data,
      correlation_id: event.metadata.correlation_id,
      causation_id: event.metadata.causation_id,
      actor: event.metadata.actor,
      created: event.created.toISOString(),
    }));
  }
}
