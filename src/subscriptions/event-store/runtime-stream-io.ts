import type { IdGenerator } from '../../domain/id-generator';
import type {
  EventData,
  EventStore,
  ExpectedRevision,
  JsonObject,
  RecordedEvent,
} from '../../event-store/event-store';
import { StreamNotFound } from '../../event-store/event-store.errors';

/**
 * Reading and writing the runtime's own streams (`checkpoint-*`, `lease-*`) through the event store port.
 * Each of these streams is a log of one small record: its last event is the current state, so every
 * decision reads that one event and appends the next at its revision (optimistic concurrency).
 */

/** The stream's last event, or null when the stream does not exist yet. */
export async function readLastEvent(store: EventStore, streamId: string): Promise<RecordedEvent | null> {
  try {
    for await (const event of store.readStream(streamId, {
      direction: 'backwards',
      fromRevision: 'end',
      maxCount: 1,
    })) {
      return event;
    }
    return null;
  } catch (error) {
    if (error instanceof StreamNotFound) return null;
    throw error;
  }
}

/** The expected revision that makes an append fail if anyone wrote after `last`. */
export const revisionAfter = (last: RecordedEvent | null): ExpectedRevision =>
  last === null ? 'no_stream' : last.revision;

/** An event of the runtime: never a tenant's (`customer_id: system`), self-caused. */
export function runtimeEvent(ids: IdGenerator, type: string, data: JsonObject): EventData {
  const id = ids.newId();
  return {
    id,
    type,
    data,
    metadata: { correlation_id: id, causation_id: id, customer_id: 'system', actor: 'system:runtime' },
  };
}

/** Bigints travel as decimal strings in JSON, as everywhere at this project's edges. */
export function bigintField(data: JsonObject, field: string, streamId: string): bigint {
  const value = data[field];
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw new Error(`${streamId}: field ${field} is not a decimal integer string: ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}
