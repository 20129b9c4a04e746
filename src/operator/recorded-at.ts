import type { RecordedEvent } from '../event-store/event-store';

/**
 * Metadata key holding an imported event's original commit time. No store lets a client set `created`
 * (EventStoreDB stamps it on the server), so `import` keeps the original here and every reader of "when"
 * (exports, audit trails, time travel) asks `recordedAt`: a re-export is then identical line for line.
 */
export const ORIGINAL_CREATED = 'original_created';

export function recordedAt(event: RecordedEvent): Date {
  const original = event.metadata[ORIGINAL_CREATED];
  return typeof original === 'string' ? new Date(original) : event.created;
}
