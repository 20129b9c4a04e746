import {
  collect,
  expectStrictlyIncreasing,
  newEvent,
  newEvents,
  type StoreRef,
  subscribeStart,
  take,
  uniqueStreams,
} from './contract-helpers';

export function subscribeCases(store: StoreRef): void {
  describe('subscribing to $all', () => {
    it('starts exclusively after the given position', async () => {
      const { prefix, stream } = uniqueStreams();
      const events = newEvents(3);
      for (const event of events)
        await store().appendToStream(stream(), [event], { expectedRevision: 'any' });
      const [, second] = await collect(store().readStream(stream()));

      const subscription = store().subscribeToAll({
        fromPosition: second.position,
        filter: { streamPrefixes: [prefix] },
      });
      const [delivered] = await take(subscription, 1);
      expect(delivered.id).toBe(events[2].id);
    });

    it('hands over from catch-up to live without gap or duplicate while appends keep coming', async () => {
      const { prefix, stream } = uniqueStreams();
      const start = await subscribeStart(store());
      const stored = newEvents(1500);
      for (let i = 0; i < 3; i++) {
        await store().appendToStream(stream('stored'), stored.slice(i * 500, (i + 1) * 500), {
          expectedRevision: 'any',
        });
      }
      const live = newEvents(60);

      const subscription = store().subscribeToAll({
        fromPosition: start,
        filter: { streamPrefixes: [prefix] },
      });
      // A consumer that pauses now and then, so live appends commit while it is still catching up.
      const delivered = take(subscription, stored.length + live.length, 20_000, 100);
      for (const [i, event] of live.entries()) {
        await store().appendToStream(stream(`live${i % 3}`), [event], { expectedRevision: 'any' });
        if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }

      const received = await delivered;
      expect(received.map((e) => e.id)).toEqual([...stored, ...live].map((e) => e.id));
      expectStrictlyIncreasing(received.map((e) => e.position));
    }, 30_000);

    it('resumes from a checkpoint: subscribing again after the last seen position continues exactly', async () => {
      const { prefix, stream } = uniqueStreams();
      const start = await subscribeStart(store());
      const events = newEvents(10);
      for (const event of events)
        await store().appendToStream(stream(), [event], { expectedRevision: 'any' });
      const filter = { streamPrefixes: [prefix] };

      const firstHalf = await take(store().subscribeToAll({ fromPosition: start, filter }), 4);
      const checkpoint = firstHalf[3].position;
      const rest = await take(store().subscribeToAll({ fromPosition: checkpoint, filter }), 6);

      expect([...firstHalf, ...rest].map((e) => e.id)).toEqual(events.map((e) => e.id));
    });

    it('filters by stream prefix', async () => {
      const { prefix, stream } = uniqueStreams();
      const start = await subscribeStart(store());
      const wanted = [newEvent(), newEvent()];
      await store().appendToStream(stream('call-1'), [wanted[0]], { expectedRevision: 'no_stream' });
      await store().appendToStream(stream('conference-1'), [newEvent()], { expectedRevision: 'no_stream' });
      await store().appendToStream(stream('call-2'), [wanted[1]], { expectedRevision: 'no_stream' });

      const subscription = store().subscribeToAll({
        fromPosition: start,
        filter: { streamPrefixes: [`${prefix}call-`] },
      });
      expect((await take(subscription, 2)).map((e) => e.id)).toEqual(wanted.map((e) => e.id));
    });

    it('filters by event type', async () => {
      const { stream } = uniqueStreams();
      const start = await subscribeStart(store());
      const type = `Wanted${Date.now()}${Math.random().toString(36).slice(2)}`;
      const wanted = [newEvent(type), newEvent(type)];
      await store().appendToStream(stream(), [wanted[0], newEvent('Unwanted'), wanted[1]], {
        expectedRevision: 'no_stream',
      });

      const subscription = store().subscribeToAll({ fromPosition: start, filter: { eventTypes: [type] } });
      expect((await take(subscription, 2)).map((e) => e.id)).toEqual(wanted.map((e) => e.id));
    });

    it('with both stream prefixes and event types, keeps only events that match both', async () => {
      const { prefix, stream } = uniqueStreams();
      const start = await subscribeStart(store());
      const wanted = [newEvent('Ended'), newEvent('Started')];
      await store().appendToStream(stream('call-1'), [newEvent('Ringing'), wanted[0]], {
        expectedRevision: 'no_stream',
      });
      await store().appendToStream(stream('conference-1'), [newEvent('Ended')], {
        expectedRevision: 'no_stream',
      });
      await store().appendToStream(stream('leg-1'), [wanted[1]], { expectedRevision: 'no_stream' });

      const subscription = store().subscribeToAll({
        fromPosition: start,
        filter: { streamPrefixes: [`${prefix}call-`, `${prefix}leg-`], eventTypes: ['Ended', 'Started'] },
      });
      expect((await take(subscription, 2)).map((e) => e.id)).toEqual(wanted.map((e) => e.id));
    });

    it('a filtered catch-up over thousands of mixed events delivers every match in order, then live ones', async () => {
      const { prefix, stream } = uniqueStreams();
      const start = await subscribeStart(store());
      const wanted: string[] = [];
      for (let round = 0; round < 6; round++) {
        const match = newEvents(50, 'Wanted');
        wanted.push(...match.map((e) => e.id));
        await store().appendToStream(stream(`wanted-${round}`), match, { expectedRevision: 'no_stream' });
        // Long stretches the filter skips, several search windows each.
        await store().appendToStream(stream(`noise-${round}`), newEvents(700, 'Noise'), {
          expectedRevision: 'no_stream',
        });
      }
      const subscription = store().subscribeToAll({
        fromPosition: start,
        filter: { streamPrefixes: [`${prefix}wanted-`, `${prefix}late-`] },
      });
      const delivered = take(subscription, wanted.length + 1, 30_000, 100);
      const late = newEvent('Wanted');
      await store().appendToStream(stream('late-1'), [late], { expectedRevision: 'no_stream' });
      const events = await delivered;
      expect(events.map((e) => e.id)).toEqual([...wanted, late.id]);
      expectStrictlyIncreasing(events.map((e) => e.position));
    }, 60_000);

    it('from end delivers only what is appended after subscribing', async () => {
      const { prefix, stream } = uniqueStreams();
      await store().appendToStream(stream(), [newEvent()], { expectedRevision: 'no_stream' });
      const subscription = store().subscribeToAll({
        fromPosition: 'end',
        filter: { streamPrefixes: [prefix] },
      });
      const delivered = take(subscription, 1);
      const later = newEvent();
      // Give a remote subscription a moment to be established before the live append.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await store().appendToStream(stream(), [later], { expectedRevision: 0n });
      expect((await delivered).map((e) => e.id)).toEqual([later.id]);
    });

    it('unsubscribe ends a pending iteration with done', async () => {
      const { prefix } = uniqueStreams();
      const subscription = store().subscribeToAll({
        fromPosition: await subscribeStart(store()),
        filter: { streamPrefixes: [prefix] },
      });
      const iterator = subscription[Symbol.asyncIterator]();
      const pending = iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await subscription.unsubscribe();
      expect((await pending).done).toBe(true);
      expect((await iterator.next()).done).toBe(true);
    });

    it('unsubscribe inside a for-await loop ends the loop without error', async () => {
      const { prefix, stream } = uniqueStreams();
      const start = await subscribeStart(store());
      await store().appendToStream(stream(), newEvents(5), { expectedRevision: 'no_stream' });
      const subscription = store().subscribeToAll({
        fromPosition: start,
        filter: { streamPrefixes: [prefix] },
      });
      let seen = 0;
      for await (const _event of subscription) {
        seen++;
        if (seen === 2) await subscription.unsubscribe();
      }
      // Events already buffered may still arrive, but the loop must end.
      expect(seen).toBeGreaterThanOrEqual(2);
      expect(seen).toBeLessThanOrEqual(5);
    });
  });
}
