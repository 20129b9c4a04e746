import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store/event-store';
import { ORIGINAL_CREATED, recordedAt } from './recorded-at';

/** One event of an export file (NDJSON): what a store needs to append it again exactly. */
export interface EventLine {
  stream: string;
  /** Decimal string, as at every JSON edge. */
  revision: string;
  id: string;
  type: string;
  data: JsonObject;
  metadata: EventMetadata;
  /** ISO-8601: when the event was first committed (kept across imports). */
  created: string;
}

/** The last line of an export: how many event lines precede it and the SHA-256 (hex) of their bytes. */
export interface ExportTrailer {
  trailer: { count: number; sha256: string };
}

export function eventLineOf(event: RecordedEvent): EventLine {
  const { [ORIGINAL_CREATED]: _original, ...metadata } = event.metadata;
  return {
    stream: event.streamId,
    revision: event.revision.toString(),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: metadata as EventMetadata,
    created: recordedAt(event).toISOString(),
  };
}

export function isTrailer(value: unknown): value is ExportTrailer {
  return typeof value === 'object' && value !== null && 'trailer' in value;
}
