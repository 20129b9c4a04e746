import type { RecordedEvent, SubscriptionFilter } from './event-store';

/** The filter as a predicate: stream prefixes OR-ed, event types OR-ed, the two lists AND-ed. */
export function compileFilter(filter: SubscriptionFilter | undefined): (event: RecordedEvent) => boolean {
  const prefixes = filter?.streamPrefixes?.length ? filter.streamPrefixes : null;
  const types = filter?.eventTypes?.length ? new Set(filter.eventTypes) : null;
  if (prefixes === null && types === null) return () => true;
  return (event) =>
    (prefixes === null || prefixes.some((prefix) => event.streamId.startsWith(prefix))) &&
    (types === null || types.has(event.type));
}
