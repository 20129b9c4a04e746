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
    metadata: toServerMetadata(event.metadata),
  });
}

/**
 * EventStoreDB's own names for correlation and causation. Its `$by_correlation_id` system projection
 * reads `$correlationId` (and tools show `$causationId`), so both are written next to our keys.
 */
const SERVER_CORRELATION = '$correlationId';
const SERVER_CAUSATION = '$causationId';

export function toServerMetadata(metadata: EventMetadata): JsonObject {
  return {
    ...metadata,
    [SERVER_CORRELATION]: metadata.correlation_id,
    [SERVER_CAUSATION]: metadata.causation_id,
  };
}

/**
 * The port's metadata from what the server holds: our keys win; an event written by another tool with only
 * EventStoreDB's keys still reads back with correlation and causation. The `$` keys are not passed on, so
 * every adapter returns the same metadata for the same append.
 */
export function fromServerMetadata(stored: JsonObject): EventMetadata {
  // The common case on the read path costs two lookups, not a copy.
  if (!(SERVER_CORRELATION in stored || SERVER_CAUSATION in stored)) return stored as EventMetadata;
  const { [SERVER_CORRELATION]: correlation, [SERVER_CAUSATION]: causation, ...ours } = stored;
  const metadata = ours as Partial<EventMetadata> & JsonObject;
  if (metadata.correlation_id === undefined && typeof correlation === 'string') {
    metadata.correlation_id = correlation;
  }
  if (metadata.causation_id === undefined && typeof causation === 'string') {
    metadata.causation_id = causation;
  }
  // Every event this store writes carries the full metadata (the command layer fills it).
  return metadata as EventMetadata;
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
    metadata: fromServerMetadata(metadata),
    created: event.created,
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/**
 * Records the server reads per page of a filtered catch-up, matching or not (its "search window"). The
 * server's default is 32, so a catch-up used to cost one internal read per 32 records; hundreds keep the
 * gRPC stream full. It is also the checkpoint interval (see `toServerFilter`).
 */
export const SEARCH_WINDOW = 512;

/** Called with the position the server has searched up to, when a filter skips many records in a row. */
export type CheckpointListener = (commitPosition: bigint) => void;

/**
 * The server filters on ONE of stream name or event type, so the port's filter is split: the most
 * selective part goes to the server (event types as an anchored regex, else stream prefixes, else "no
 * `$`-types"), and `matchesFilter` re-checks everything on arrival.
 *
 * Always a server-side filter, even for "everything": only a filtered subscription pages by the search
 * window and reports checkpoints, every `SEARCH_WINDOW` records considered (multiplier 1), so that a
 * subscription whose filter skips a long stretch can resume after it instead of searching it again.
 */
export function toServerFilter(
  filter: SubscriptionFilter | undefined,
  onCheckpoint?: CheckpointListener,
): Filter {
  const window = {
    maxSearchWindow: SEARCH_WINDOW,
    checkpointInterval: 1,
    ...(onCheckpoint ? { checkpointReached: (_: unknown, at: Position) => onCheckpoint(at.commit) } : {}),
  };
  if (filter?.eventTypes?.length) {
    const regex = `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$`;
    return eventTypeFilter({ regex, ...window });
  }
  if (filter?.streamPrefixes?.length) {
    return streamNameFilter({ prefixes: filter.streamPrefixes, ...window });
  }
  return excludeSystemEvents(window);
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
