import { Inject, Injectable } from '@nestjs/common';
import { toDomainEvent } from '../command-handling/command-executor';
import { type Decider, type DomainEvent, fold } from '../domain/decider';
import type { DomainError } from '../domain/domain-error';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../event-store/event-store';
import { StreamNotFound } from '../event-store/event-store.errors';
import { readTenantStream } from '../event-store/tenant-stream';
import { type EventView, eventView } from './event-view';
import { eventsUntil, type StreamPoint } from './stream-point';

/** The operator's scope (the CLI): every tenant's streams. HTTP always passes the caller's tenant. */
export const EVERY_TENANT = null;
export type TenantScope = string | typeof EVERY_TENANT;

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

  async events(customerId: TenantScope, streamId: string, notFound: () => DomainError): Promise<EventView[]> {
    const recorded = await this.read(streamId, customerId);
    if (!recorded) throw notFound();
    return recorded.map(eventView);
  }

  /** The state folded from the stream's events up to the point (null: now), with its revision then. */
  async stateAt<Event extends DomainEvent, State>(
    folder: Folder<Event, State>,
    customerId: TenantScope,
    streamId: string,
    point: StreamPoint | null,
    notFound: () => DomainError,
  ): Promise<{ state: State; revision: bigint }> {
    const recorded = await this.read(streamId, customerId);
    const until = recorded && (point ? eventsUntil(recorded, point) : recorded);
    if (!until) throw notFound();
    const state = fold(folder, until.map(toDomainEvent) as Event[]);
    return { state, revision: until[until.length - 1].revision };
  }

  /** The whole stream, or null when it does not exist or (for a tenant) belongs to another tenant. */
  async read(streamId: string, customerId: TenantScope): Promise<RecordedEvent[] | null> {
    if (customerId !== EVERY_TENANT) return readTenantStream(this.store, streamId, customerId);
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(streamId)) events.push(event);
    } catch (error) {
      if (error instanceof StreamNotFound) return null;
      throw error;
    }
    return events.length > 0 ? events : null;
  }
}
