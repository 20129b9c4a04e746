import type { RecordedEvent } from '../../src/event-store/event-store';

/** `events` cut into consecutive batches of `size`. */
export function chunks(events: RecordedEvent[], size: number): RecordedEvent[][] {
  const result: RecordedEvent[][] = [];
  for (let i = 0; i < events.length; i += size) result.push(events.slice(i, i + size));
  return result;
}

/**
 * The two tests every `handleBatch` needs (a log of 20 to 40 events suits the cut points below): the same rows as `handle` event
 * by event in batches of several sizes, and with duplicates inside a batch and replays of applied ranges.
 * `expectSame` applies a sequence of batches both ways and compares the rows after each batch.
 */
export function itAppliesBatchesLikeOneAtATime(
  events: RecordedEvent[],
  expectSame: (batches: RecordedEvent[][]) => void | Promise<void>,
): void {
  it.each([1, 2, 3, 5, 7, 11, events.length])(
    'gives the same rows as one event at a time, in batches of %i',
    async (size) => expectSame(chunks(events, size)),
  );

  it('gives the same rows with duplicates inside a batch and replays of applied ranges', async () => {
    const doubled = events.flatMap((event) => [event, event]);
    await expectSame([
      ...chunks(doubled.slice(0, 20), 6),
      events.slice(0, 12), // a replay from the start of what was applied
      [...events.slice(5, 30), ...events.slice(0, 10)], // overlapping and out of the log's order
      events, // all again
      events.slice(20),
    ]);
  });
}
