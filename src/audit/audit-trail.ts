import { Inject, Injectable } from '@nestjs/common';
import { toDomainEvent } from '../command-handling/command-executor';
import { type Decider, type DomainEvent, fold } from '../domain/decider';
import type { DomainError } from '../domain/domain-error';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { readTenantStream } from '../event-store/tenant-stream';
import { type EventView, eventView } from './event-view';
import { eventsUntil, type StreamPoint } from './stream-point';

export type Folder<Event extends DomainEvent, State> = Pick<
  Decider<unknown, Event, State>,
  'evolve' | 'initialState'
>;

/**
 * Reads audit trails and past states straight from the event store: the record itself, complete and in
 * order, never a read model's interpretation of it. Tenant-checked: an unknown stream, a foreign one and
 * (for time travel) a point outside the stream all throw the caller's not-found error, so ids cannot be
 * probed.
 */
@Injectable()
export class AuditTrail {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async events(customerId: string, streamId: string, notFound: () => DomainError): Promise<EventView[]> {
    const recorded = await readTenantStream(this.store, streamId, customerId);
    if (!recorded) throw notFound();
    return recorded.map(eventView);
  }

  /** The state folded from the stream's events up to the point, with the revision it had then. */
  async stateAt<Event extends DomainEvent, State>(
    folder: Folder<Event, State>,
    customerId: string,
    streamId: string,
    point: StreamPoint,
    notFound: () => DomainError,
  ): Promise<{ state: State; revision: bigint }> {
    const recorded = await readTenantStream(this.store, streamId, customerId);
    const until = recorded && eventsUntil(recorded, point);
    if (!until) throw notFound();
    const state = fold(folder, until.map(toDomainEvent) as Event[]);
    return { state, revision: until[until.length - 1].revision };
  }
}
