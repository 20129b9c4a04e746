import type { RecordedEvent } from '../../../src/event-store/event-store';
import { StreamNotFound } from '../../../src/event-store/event-store.errors';
import {
  collect,
  expectStrictlyIncreasing,
  newEvent,
  newEvents,
  readOwn,
  rejectionOf,
  type StoreRef,
  uniqueStreams,
} from './contract-helpers';

export function readCases(store: StoreRef): void {
  describe('reading a stream', () => {
    const revisions = (events: RecordedEvent[]) => events.map((e) => Number(e.revision));
    let stream: string;

    beforeAll(async () => {
      stream = uniqueStreams().stream();
      await store().appendToStream(stream, newEvents(10), { expectedRevision: 'no_stream' });
    });

    it('forwards from the start by default', async () => {
      expect(revisions(await collect(store().readStream(stream)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('forwards from a revision (inclusive) with maxCount', async () => {
      const read = await collect(store().readStream(stream, { fromRevision: 3n, maxCount: 4 }));
      expect(revisions(read)).toEqual([3, 4, 5, 6]);
    });

    it('backwards from the end, from a revision, and with maxCount', async () => {
      expect(
        revisions(await collect(store().readStream(stream, { direction: 'backwards', maxCount: 3 }))),
      ).toEqual([9, 8, 7]);
      const fromFive = await collect(
        store().readStream(stream, { direction: 'backwards', fromRevision: 5n }),
      );
      expect(revisions(fromFive)).toEqual([5, 4, 3, 2, 1, 0]);
    });

    it('past the last revision yields nothing (the stream exists)', async () => {
      expect(await collect(store().readStream(stream, { fromRevision: 10n }))).toEqual([]);
    });

    it('a missing stream throws StreamNotFound, forwards and backwards', async () => {
      const missing = uniqueStreams().stream('missing');
      const forwards = await rejectionOf(collect(store().readStream(missing)));
      expect(forwards).toBeInstanceOf(StreamNotFound);
      expect(forwards).toMatchObject({ streamId: missing });
      const backwards = await rejectionOf(collect(store().readStream(missing, { direction: 'backwards' })));
      expect(backwards).toBeInstanceOf(StreamNotFound);
    });

    it('round-trips data, metadata, type, id and a created time', async () => {
      const own = uniqueStreams().stream();
      const event = newEvent('CallAnswered', {
        call_id: 'c-1',
        nested: { list: [1, 'two', null, true], deep: { ok: false } },
        unicode: 'héllo ☎',
      });
      event.metadata = { ...event.metadata, extra: 'kept' };
      const before = Date.now();
      await store().appendToStream(own, [event], { expectedRevision: 'no_stream' });
      const [read] = await collect(store().readStream(own));

      expect(read).toMatchObject({ streamId: own, revision: 0n, id: event.id, type: 'CallAnswered' });
      expect(read.data).toEqual(event.data);
      expect(read.metadata).toEqual(event.metadata);
      expect(read.created).toBeInstanceOf(Date);
      // A remote server's clock may differ a little from ours.
      expect(Math.abs(read.created.getTime() - before)).toBeLessThan(60_000);
    });
  });

  describe('reading $all', () => {
    it('returns events in commit order from an inclusive position, with strictly increasing positions', async () => {
      const { prefix, stream } = uniqueStreams();
      const appended: string[] = [];
      for (let i = 0; i < 6; i++) {
        const event = newEvent();
        await store().appendToStream(stream(i % 2 === 0 ? 'a' : 'b'), [event], { expectedRevision: 'any' });
        appended.push(event.id);
      }
      const [first] = await collect(store().readStream(stream('a'), { maxCount: 1 }));

      const own = await readOwn(store(), prefix, first.position, 6);
      expect(own.map((e) => e.id)).toEqual(appended);
      expect(own[0].position).toBe(first.position);
      expectStrictlyIncreasing(own.map((e) => e.position));
    });

    it('honours maxCount and reads backwards from an inclusive position', async () => {
      const { prefix, stream } = uniqueStreams();
      const events = newEvents(3);
      for (const event of events)
        await store().appendToStream(stream(), [event], { expectedRevision: 'any' });
      const read = await collect(store().readStream(stream()));

      const two = await collect(store().readAll({ fromPosition: read[0].position, maxCount: 2 }));
      expect(two).toHaveLength(2);
      expect(two[0].id).toBe(events[0].id);

      const backwards = [];
      for await (const event of store().readAll({ fromPosition: read[2].position, direction: 'backwards' })) {
        if (event.streamId.startsWith(prefix)) backwards.push(event.id);
        if (backwards.length === 3) break;
      }
      expect(backwards).toEqual([events[2].id, events[1].id, events[0].id]);
    });

    it('never contains system events (types starting with $)', async () => {
      const { prefix, stream } = uniqueStreams();
      const visible = newEvent('Visible');
      await store().appendToStream(stream(), [newEvent('$system-test'), visible], {
        expectedRevision: 'no_stream',
      });
      const read = await collect(store().readStream(stream()));
      expect(read.map((e) => e.type)).toEqual(['$system-test', 'Visible']);

      const own = await readOwn(store(), prefix, read[0].position, 1);
      expect(own.map((e) => e.id)).toEqual([visible.id]);
    });

    it('headPosition is at or after the last append', async () => {
      const result = await store().appendToStream(uniqueStreams().stream(), [newEvent()], {
        expectedRevision: 'no_stream',
      });
      expect(await store().headPosition()).toBeGreaterThanOrEqual(result.position);
    });
  });
}
