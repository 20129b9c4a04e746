import type { PublishedEvent } from '../event-catalog/cloud-event';
import { matchesAnyType } from '../event-catalog/public-event-types';

/** Which public events one subscriber sees: always its own tenant's, narrowed by type and resource. */
export interface FeedFilter {
  customerId: string;
  /** `call.*`, `conference.terminated`, ...; null = every type. */
  types: string[] | null;
  callId: string | null;
  conferenceId: string | null;
}

export function matchesFeedFilter(filter: FeedFilter, event: PublishedEvent): boolean {
  return (
    event.customerId === filter.customerId &&
    matchesAnyType(filter.types, event.cloudEvent.type) &&
    (filter.callId === null || event.callId === filter.callId) &&
    (filter.conferenceId === null || event.conferenceId === filter.conferenceId)
  );
}
