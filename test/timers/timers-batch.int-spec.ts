import Database from 'better-sqlite3';
import { callTimerSource } from '../../src/calls/call-process/call-timer-source';
import type { DomainEvent } from '../../src/domain/decider';
import type { RecordedEvent } from '../../src/event-store/event-store';
import type { ProjectionHandler } from '../../src/projections/projection';
import { TimerRegistry, type TimerSource } from '../../src/timers/timer-source';
import { type TimerTables, timersProjection } from '../../src/timers/timers.projection';
import { answered, created, hangupRequested, hungUp, rang } from '../calls/call-fixtures';
import { itAppliesBatchesLikeOneAtATime } from '../support/batch-equivalence';

const t: TimerTables = { streams: 'timers_streams', due: 'timers_due' };

/**
 * A source whose timers the events set directly, so that every case of the due-row rules can be written:
 * a due time that moves and moves back, a timer dropped and added again, a stream that finishes.
 */
type FakeState = { timers: Record<string, string>; done: boolean };
type FakeEvent = DomainEvent<'Set' | 'Unset' | 'Done', { kind?: string; dueAt?: string }>;
const fakeSource: TimerSource<never, FakeEvent, FakeState> = {
  name: 'fake',
  streamPrefix: 'fake-',
  decider: {
    initialState: { timers: {}, done: false },
    decide: () => [],
    evolve(state, event) {
      const { kind = '', dueAt = '' } = event.data;
      if (event.type === 'Set') return { ...state, timers: { ...state.timers, [kind]: dueAt } };
      if (event.type === 'Done') return { ...state, done: true };
      const { [kind]: _dropped, ...timers } = state.timers;
      return { ...state, timers };
    },
  },
  dueTimers: (state) => Object.entries(state.timers).map(([kind, dueAt]) => ({ kind, dueAt })),
  command: () => undefined as never,
  finished: (state) => state.done,
};

const A = '2026-01-01T00:01:00.000Z';
const B = '2026-01-01T00:02:00.000Z';
const set = (kind: string, dueAt: string) => ({ type: 'Set', data: { kind, dueAt } });
const unset = (kind: string) => ({ type: 'Unset', data: { kind } });
const done = { type: 'Done', data: {} };

/** Per stream, its events in stream order. */
const STREAMS: Record<string, Array<{ type: string; data: object }>> = {
  'call-00000000-0000-7000-8000-00000000000a': [
    created(),
    rang(),
    answered(),
    hangupRequested('terminating', 'normal'),
    hungUp(),
  ],
  'call-00000000-0000-7000-8000-00000000000b': [created(), rang()],
  'call-00000000-0000-7000-8000-00000000000c': [created(), hungUp(), rang()],
  'fake-moves-back': [set('x', A), set('x', B), set('x', A), set('y', B)],
  'fake-readded': [set('x', A), unset('x'), set('x', A), set('z', B), unset('z')],
  'fake-finishes': [set('x', A), done, set('x', B), unset('x')],
  'customer-no-timers': [created(), rang()],
};

/** `$all`: the streams interleaved round-robin, every event with its own correlation. */
function log(): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const longest = Math.max(...Object.values(STREAMS).map((list) => list.length));
  for (let revision = 0; revision < longest; revision++) {
    for (const [streamId, list] of Object.entries(STREAMS)) {
      const event = list[revision];
      if (!event) continue;
      const n = events.length;
      events.push({
        streamId,
        revision: BigInt(revision),
        position: BigInt(n),
        id: `event-${n}`,
        type: event.type,
        data: event.data as RecordedEvent['data'],
        metadata: {
          correlation_id: `corr-${n}`,
          causation_id: `corr-${n}`,
          customer_id: `customer-${n % 3}`,
          actor: 'key:k1',
        },
        created: new Date(0),
      });
    }
  }
  return events;
}

interface Build {
  db: Database.Database;
  handler: ProjectionHandler;
  changes: () => number;
}

function build(): Build {
  const db = new Database(':memory:');
  const registry = new TimerRegistry();
  registry.register(callTimerSource);
  registry.register(fakeSource);
  let changes = 0;
  const handler = timersProjection(registry, () => changes++).setup(db, t);
  return { db, handler, changes: () => changes };
}

const rows = (db: Database.Database) => ({
  streams: db.prepare(`SELECT * FROM ${t.streams} ORDER BY stream_id`).all(),
  due: db.prepare(`SELECT * FROM ${t.due} ORDER BY stream_id, kind`).all(),
});

/**
 * Applies `batches` to two builds, one with `handleBatch`, one event at a time, and expects the same rows
 * after every batch, and a change notification for exactly the batches in which one-at-a-time had one.
 */
function expectSameAsOneAtATime(batches: RecordedEvent[][]): void {
  const batched = build();
  const single = build();
  try {
    for (const batch of batches) {
      const [batchedBefore, singleBefore] = [batched.changes(), single.changes()];
      batched.handler.handleBatch!(batch);
      for (const event of batch) single.handler.handle(event);
      expect(rows(batched.db)).toEqual(rows(single.db));
      expect(batched.changes() > batchedBefore).toBe(single.changes() > singleBefore);
    }
    expect(rows(batched.db).due.length).toBeGreaterThan(0);
  } finally {
    batched.db.close();
    single.db.close();
  }
}

describe('timers projection, catch-up batches', () => {
  const events = log();

  itAppliesBatchesLikeOneAtATime(events, expectSameAsOneAtATime);

  it('the correlation of a due time that moved and moved back is the event that moved it back', () => {
    const { db, handler } = build();
    const [first, ...rest] = events.filter((event) => event.streamId === 'fake-moves-back');
    const x = db.prepare(
      `SELECT due_at, correlation_id FROM ${t.due} WHERE stream_id = 'fake-moves-back' AND kind = 'x'`,
    );
    handler.handleBatch!([first]);
    expect(x.get()).toEqual({ due_at: A, correlation_id: first.metadata.correlation_id });
    // In the next batch x moves to B and back to A: same due time as stored, but a new scheduling.
    handler.handleBatch!(rest);
    expect(x.get()).toEqual({ due_at: A, correlation_id: rest[1].metadata.correlation_id });
    db.close();
  });

  it('writes the state row of a stream once per batch, and nothing for streams no source folds', () => {
    const { db, handler } = build();
    db.exec(`
      CREATE TABLE writes (stream_id TEXT);
      CREATE TRIGGER count_inserts AFTER INSERT ON ${t.streams} BEGIN INSERT INTO writes VALUES (new.stream_id); END;
      CREATE TRIGGER count_updates AFTER UPDATE ON ${t.streams} BEGIN INSERT INTO writes VALUES (new.stream_id); END;
    `);
    handler.handleBatch!(events);
    const writes = db
      .prepare('SELECT stream_id, count(*) AS n FROM writes GROUP BY stream_id ORDER BY 1')
      .all();
    expect(writes).toEqual(
      Object.keys(STREAMS)
        .filter((streamId) => !streamId.startsWith('customer-'))
        .sort()
        .map((streamId) => ({ stream_id: streamId, n: 1 })),
    );
    db.close();
  });

  it('records a call begun and ended within a batch as finished without folding it, as one at a time would', () => {
    const { db, handler, changes } = build();
    const single = build();
    const life = events.filter((event) => event.streamId === 'call-00000000-0000-7000-8000-00000000000a');
    const folds = jest.spyOn(callTimerSource.decider, 'evolve');
    try {
      handler.handleBatch!(life);
      expect(folds).not.toHaveBeenCalled();
      expect(changes()).toBe(0); // no due row before, none after
      for (const event of life) single.handler.handle(event);
      expect(folds).toHaveBeenCalled();
      expect(rows(db)).toEqual(rows(single.db));
      expect(rows(db).streams).toEqual([
        expect.objectContaining({ stream_id: life[0].streamId, revision: 4, state: null }),
      ]);
      // The same life cut in two batches is folded: its first half leaves a state and a due row.
      const { db: cutDb, handler: cut } = build();
      cut.handleBatch!(life.slice(0, 2));
      cut.handleBatch!(life.slice(2));
      expect(rows(cutDb)).toEqual(rows(single.db));
      cutDb.close();
    } finally {
      folds.mockRestore();
      db.close();
      single.db.close();
    }
  });

  it('leaves the due-time index to afterCatchUp on a fresh build', () => {
    const db = new Database(':memory:');
    const registry = new TimerRegistry();
    registry.register(callTimerSource);
    const projection = timersProjection(registry, () => undefined);
    const indexes = () =>
      db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${t.due}' AND sql IS NOT NULL`,
        )
        .pluck()
        .all();
    projection.setup(db, t, { deferIndexes: true });
    expect(indexes()).toEqual([]);
    projection.afterCatchUp!(db, t);
    expect(indexes()).toEqual([`${t.due}_by_time`]);
    db.close();
  });
});
