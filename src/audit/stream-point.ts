import type { RecordedEvent } from '../event-store/event-store';
import { recordedAt } from '../operator/recorded-at';

/**
 * A point in a stream's past: "after revision N" or "as it was at time T" (the store's commit time). Time
 * travel folds the events up to it; the CLI's `--from/--to` bound event listings with it.
 */
export type StreamPoint = { revision: bigint } | { time: Date };

/** True when the event is at or before the point (its revision, or its original commit time). */
export function isUpTo(event: RecordedEvent, point: StreamPoint): boolean {
  return 'revision' in point
    ? event.revision <= point.revision
    : recordedAt(event).getTime() <= point.time.getTime();
}

/**
 * The events of a stream up to the point (inclusive), or null when the point is before the stream began
 * or past its end (a revision the stream has not reached): both answer "no such state", never a guess.
 */
export function eventsUntil(events: readonly RecordedEvent[], point: StreamPoint): RecordedEvent[] | null {
  if ('revision' in point && point.revision >= BigInt(events.length)) return null;
  const until = events.filter((event) => isUpTo(event, point));
  return until.length > 0 ? until : null;
}

/** Events from the point on (inclusive): `--from` of the CLI. */
export function eventsFrom(events: readonly RecordedEvent[], point: StreamPoint): RecordedEvent[] {
  return events.filter((event) =>
    'revision' in point
      ? event.revision >= point.revision
      : recordedAt(event).getTime() >= point.time.getTime(),
  );
}
