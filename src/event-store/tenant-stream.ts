import type { EventStore, RecordedEvent } from './event-store';
import { StreamNotFound } from './event-store.errors';

/**
 * A whole stream as its tenant sees it, for audit trails read from the log itself. Null when the stream
 * does not exist or belongs to another tenant — callers answer both alike, so ids cannot be probed. The
 * owner is the tenant of the stream's first event: deciders refuse commands of any other tenant.
 */
export async function readTenantStream(
  store: EventStore,
  streamId: string,
  customerId: string,
): Promise<RecordedEvent[] | null> {
  const events: RecordedEvent[] = [];
  try {
    for await (const event of store.readStream(streamId)) {
      if (events.length === 0 && event.metadata.customer_id !== customerId) return null;
      events.push(event);
    }
  } catch (error) {
    if (error instanceof StreamNotFound) return null;
    throw error;
  }
  return events.length > 0 ? events : null;
}
