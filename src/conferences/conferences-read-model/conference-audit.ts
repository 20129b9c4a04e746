import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '../../domain/domain-error';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store';
import { readTenantStream } from '../../event-store/tenant-stream';
import { conferenceStreamId } from '../conference-stream';
import type { ConferenceEventView } from '../conference-view';

/**
 * GET /v1/conferences/:id/events: the conference's own stream, straight from the event store (the audit
 * trail is the source of truth, not a read model). Foreign and unknown ids answer alike.
 */
@Injectable()
export class ConferenceAudit {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async events(customerId: string, conferenceId: string): Promise<ConferenceEventView[]> {
    const recorded = await readTenantStream(this.store, conferenceStreamId(conferenceId), customerId);
    if (!recorded)
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
