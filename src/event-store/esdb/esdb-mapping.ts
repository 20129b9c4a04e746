import {
  ANY,
  type AppendExpectedRevision,
  type RecordedEvent as ClientRecordedEvent,
  type EventTypeToRecordedEvent,
  eventTypeFilter,
  excludeSystemEvents,
  type Filter,
  type JSONEventType,
  jsonEvent,
  NO_STREAM,
  type Position,
  STREAM_EXISTS,
  streamNameFilter,
} from '@eventstore/db-client';
import type {
  EventData,
  EventMetadata,
  ExpectedRevision,
  JsonObject,
  RecordedEvent,
  SubscriptionFilter,
} from '../event-store';

/** Translations between the port's types and `@eventstore/db-client`'s. */

export function toClientExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

export function toClientEvent(event: EventData) {
  return jsonEvent<JSONEventType>({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });
}

/**
 * Events appended over gRPC are self-committed: their commit and prepare positions are equal, so the
 * port's position (the commit position) converts back exactly. Only use positions of recorded events.
 */
export function toClientPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

/** `$all` holds the server's own events (stats, metadata, links): all of them have `$`-types. */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

/** Servers reply -1 (as an unsigned 2^64-1) where they do not know a position. */
const NO_POSITION = 2n ** 64n - 1n;

export function toRecordedEvent(
  event: EventTypeToRecordedEvent<JSONEventType> | ClientRecordedEvent,
): RecordedEvent {
  const position = event.position?.commit;
  if (position === undefined || position === NO_POSITION) {
    // Servers older than 22.6 leave positions out of stream reads; the port cannot do without them.
    throw new Error(`EventStoreDB sent event ${event.id} of ${event.streamId} without a position`);
  }
  if (!event.isJson || !isJsonObject(event.data)) {
    throw new Error(
      `Event ${event.id} of ${event.streamId} is not a JSON object; this store only writes JSON`,
    );
  }
  const metadata = event.metadata ?? {};
  if (!isJsonObject(metadata))
    throw new Error(`Event ${event.id} of ${event.streamId} has non-JSON metadata`);
  return {
    streamId: event.streamId,
    revision: event.revision,
    position,
    id: event.id,
    type: event.type,
    data: event.data,
    // Every event this store writes carries the full metadata (the command layer fills it).
    metadata: metadata as EventMetadata,
    created: event.created,
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/**
 * The server filters on ONE of stream name or event type, so the port's filter is split: the most
 * selective part goes to the server (event types as an anchored regex, else stream prefixes, else "no
 * `$`-types"), and `matchesFilter` re-checks everything on arrival.
 */
export function toServerFilter(filter: SubscriptionFilter | undefined): Filter {
  if (filter?.eventTypes?.length) {
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  }
  if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: filter.streamPrefixes });
  return excludeSystemEvents();
}

/** Empty or missing lists do not constrain, as in the SQLite adapter. */
export function matchesFilter(
  filter: SubscriptionFilter | undefined,
  streamId: string,
  type: string,
): boolean {
  if (isSystemEventType(type)) return false;
  const prefixes = filter?.streamPrefixes;
  if (prefixes?.length && !prefixes.some((prefix) => streamId.startsWith(prefix))) return false;
  const types = filter?.eventTypes;
  return !types?.length || types.includes(type);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
