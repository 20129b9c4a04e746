import type { ExpectedRevision } from '../../../src/event-store/event-store';
import { WrongExpectedVersion } from '../../../src/event-store/event-store.errors';
import { collect, newEvent, newEvents, rejectionOf, type StoreRef, uniqueStreams } from './contract-helpers';

async function conflictOf(promise: Promise<unknown>): Promise<WrongExpectedVersion> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(WrongExpectedVersion);
  return error as WrongExpectedVersion;
}

export function appendCases(store: StoreRef): void {
  describe('appending', () => {
    it('numbers revisions from 0 and returns the last revision and its position', async () => {
      const stream = uniqueStreams().stream();
      const first = await store().appendToStream(stream, newEvents(3), { expectedRevision: 'no_stream' });
      const second = await store().appendToStream(stream, [newEvent()], { expectedRevision: 2n });

      expect(first.nextExpectedRevision).toBe(2n);
      expect(second.nextExpectedRevision).toBe(3n);
      expect(second.position).toBeGreaterThan(first.position);
      const read = await collect(store().readStream(stream));
      expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
      expect(read[3].position).toBe(second.position);
    });

    it('no_stream: accepts a new stream, rejects an existing one with expected and actual', async () => {
      const stream = uniqueStreams().stream();
      await store().appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const conflict = await conflictOf(
        store().appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' }),
      );
      expect(conflict).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 0n });
    });

    it('stream_exists: rejects a missing stream, accepts an existing one', async () => {
      const stream = uniqueStreams().stream();
      const conflict = await conflictOf(
        store().appendToStream(stream, [newEvent()], { expectedRevision: 'stream_exists' }),
      );
      expect(conflict).toMatchObject({ streamId: stream, expected: 'stream_exists', actual: 'no_stream' });

      await store().appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      const result = await store().appendToStream(stream, [newEvent()], {
        expectedRevision: 'stream_exists',
      });
      expect(result.nextExpectedRevision).toBe(1n);
    });

    it('any: appends to a missing and to an existing stream', async () => {
      const stream = uniqueStreams().stream();
      expect(
        (await store().appendToStream(stream, [newEvent()], { expectedRevision: 'any' }))
          .nextExpectedRevision,
      ).toBe(0n);
      expect(
        (await store().appendToStream(stream, [newEvent()], { expectedRevision: 'any' }))
          .nextExpectedRevision,
      ).toBe(1n);
    });

    it('exact revision: accepts the current one, rejects a stale or a missing stream', async () => {
      const stream = uniqueStreams().stream();
      const missing = await conflictOf(
        store().appendToStream(stream, [newEvent()], { expectedRevision: 0n }),
      );
      expect(missing).toMatchObject({ streamId: stream, expected: '0', actual: 'no_stream' });

      await store().appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });
      const stale = await conflictOf(store().appendToStream(stream, [newEvent()], { expectedRevision: 0n }));
      expect(stale).toMatchObject({ streamId: stream, expected: '0', actual: 1n });
      const ahead = await conflictOf(store().appendToStream(stream, [newEvent()], { expectedRevision: 5n }));
      expect(ahead).toMatchObject({ expected: '5', actual: 1n });

      const ok = await store().appendToStream(stream, [newEvent()], { expectedRevision: 1n });
      expect(ok.nextExpectedRevision).toBe(2n);
      expect(await collect(store().readStream(stream))).toHaveLength(3);
    });

    it('re-appending the same ids at the same expected revision is idempotent', async () => {
      const stream = uniqueStreams().stream();
      const batch = newEvents(2);
      const first = await store().appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      const again = await store().appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      expect(again).toEqual(first);

      const next = [newEvent()];
      const third = await store().appendToStream(stream, next, { expectedRevision: 1n });
      await store().appendToStream(stream, [newEvent()], { expectedRevision: 2n });
      expect(await store().appendToStream(stream, next, { expectedRevision: 1n })).toEqual(third);

      const read = await collect(store().readStream(stream));
      expect(read.map((e) => e.id)).toEqual([batch[0].id, batch[1].id, next[0].id, read[3].id]);
    });

    it('writes a large batch (1000 events) atomically in order', async () => {
      const stream = uniqueStreams().stream();
      const batch = newEvents(1000);
      const result = await store().appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(999n);
      const read = await collect(store().readStream(stream));
      expect(read.map((e) => e.id)).toEqual(batch.map((e) => e.id));
      expect(read.map((e) => e.revision)).toEqual(batch.map((_, i) => BigInt(i)));
      expect(read[999].position).toBe(result.position);
    }, 30_000);

    it('50 parallel appends expecting no_stream: exactly one wins, the others see it', async () => {
      const stream = uniqueStreams().stream();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          store().appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
        expect(outcome.reason).toBeInstanceOf(WrongExpectedVersion);
        expect(outcome.reason).toMatchObject({ expected: 'no_stream', actual: 0n });
      }
    });

    it('concurrent writers on one stream with exact revisions: one winner per revision, no gap', async () => {
      const stream = uniqueStreams().stream();
      const winners = new Map<bigint, string>();
      const writer = async () => {
        let expected: ExpectedRevision = 'no_stream';
        for (let written = 0; written < 5; ) {
          const event = newEvent();
          try {
            const result = await store().appendToStream(stream, [event], { expectedRevision: expected });
            expect(winners.has(result.nextExpectedRevision)).toBe(false);
            winners.set(result.nextExpectedRevision, event.id);
            expected = result.nextExpectedRevision;
            written++;
          } catch (error) {
            if (!(error instanceof WrongExpectedVersion)) throw error;
            expected = error.actual;
          }
        }
      };
      await Promise.all(Array.from({ length: 10 }, writer));

      const read = await collect(store().readStream(stream));
      expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)));
      expect(read.map((e) => e.id)).toEqual(read.map((e) => winners.get(e.revision)));
    }, 30_000);

    it('concurrent writers on many streams all succeed, in order within each stream', async () => {
      const { stream } = uniqueStreams();
      const streams = Array.from({ length: 100 }, (_, i) => stream(`s${i}`));
      await Promise.all(
        streams.map(async (name) => {
          let expected: ExpectedRevision = 'no_stream';
          for (let i = 0; i < 3; i++) {
            expected = (await store().appendToStream(name, [newEvent()], { expectedRevision: expected }))
              .nextExpectedRevision;
          }
        }),
      );
      for (const name of streams) {
        const read = await collect(store().readStream(name));
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      }
    }, 30_000);
  });
}
