import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import type { Projection, TableNames } from '../../src/projections/projection';
import { ProjectionEngine, type ProjectionEngineOptions } from '../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { SharedAllFeed } from '../../src/subscriptions/shared-feed';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { appendStatuses, eventually, RecordingLogger } from './projection-fixtures';

/** What the runner did with a projection: how it was set up, which path applied events, when it indexed. */
interface Trace {
  deferIndexes: boolean[];
  batches: number[];
  single: number;
  /** Rows present when `afterCatchUp` ran, once per call. */
  indexedAt: number[];
  /** The connection's page cache setting then (KiB, negative). */
  cacheAtIndexing?: number;
}

function tracedProjection(trace: Trace): Projection<'seen'> {
  const count = (db: Database.Database, t: TableNames<'seen'>) =>
    db.prepare(`SELECT count(*) FROM ${t.seen}`).pluck().get() as number;
  return {
    name: 'traced',
    version: 1,
    tables: ['seen'],
    setup(db, t, context) {
      trace.deferIndexes.push(context?.deferIndexes ?? false);
      db.exec(`CREATE TABLE IF NOT EXISTS ${t.seen} (position INTEGER PRIMARY KEY, status TEXT NOT NULL)`);
      if (!context?.deferIndexes)
        db.exec(`CREATE INDEX IF NOT EXISTS ${t.seen}_by_status ON ${t.seen} (status)`);
      const insert = db.prepare(`INSERT OR IGNORE INTO ${t.seen} (position, status) VALUES (?, ?)`);
      const apply = (event: RecordedEvent) => insert.run(event.position, String(event.data.status));
      return {
        handle(event) {
          trace.single++;
          apply(event);
        },
        handleBatch(events) {
          trace.batches.push(events.length);
          for (const event of events) apply(event);
        },
      };
    },
    afterCatchUp(db, t) {
      trace.indexedAt.push(count(db, t));
      trace.cacheAtIndexing = db.pragma('cache_size', { simple: true }) as number;
      db.exec(`CREATE INDEX IF NOT EXISTS ${t.seen}_by_status ON ${t.seen} (status)`);
    },
  };
}

describe('ProjectionEngine catch-up mode', () => {
  let clock: FixedClock;
  let store: SqliteEventStore;
  let readModels: ReadModelDatabase;
  let engines: ProjectionEngine[];
  let ids: SequentialIds;
  let trace: Trace;

  beforeEach(() => {
    clock = new FixedClock('2026-03-01T10:00:00.000Z');
    store = new SqliteEventStore({ filename: ':memory:', clock });
    readModels = new ReadModelDatabase(':memory:');
    engines = [];
    ids = new SequentialIds();
    trace = { deferIndexes: [], batches: [], single: 0, indexedAt: [] };
  });

  afterEach(async () => {
    for (const engine of engines) await engine.stop();
    await readModels.close();
    await store.close();
  });

  const startEngine = (options: ProjectionEngineOptions = {}) => {
    const engine = new ProjectionEngine(store, readModels, {
      clock,
      logger: new RecordingLogger(),
      ...options,
    });
    engines.push(engine);
    engine.register(tracedProjection(trace));
    engine.start();
    return engine;
  };
  const isLive = async (engine: ProjectionEngine) => (await engine.status())[0].state === 'live';
  const statuses = (n: number) => Array.from({ length: n }, (_, i) => `s${i % 5}`);

  it('applies the history in large batches, indexes once caught up and before live, then goes event by event', async () => {
    await appendStatuses(store, 'call-a', statuses(300), ids);
    const pragma = (name: string) => readModels.connection.pragma(name, { simple: true });
    const before = [pragma('cache_size'), pragma('wal_autocheckpoint')];
    const engine = startEngine({ catchUp: { deferIndexesAbove: 10 } });
    await eventually(() => isLive(engine));

    expect(trace.deferIndexes).toEqual([true]);
    expect(trace.indexedAt).toEqual([300]);
    expect(trace.cacheAtIndexing).toBe(-128 * 1024);
    expect(trace.batches.reduce((a, b) => a + b, 0)).toBe(300);
    expect(trace.single).toBe(0);
    // The catch-up settings of the connection are gone once nothing catches up any more.
    expect([pragma('cache_size'), pragma('wal_autocheckpoint')]).toEqual(before);

    const position = await appendStatuses(store, 'call-b', ['x'], ids);
    expect(await engine.waitForPosition(position, { timeoutMs: 2_000 })).toBe(true);
    expect(trace.single).toBe(1);
    expect(trace.indexedAt).toEqual([300]);
  });

  it('a catch-up batch is not cut at the page boundaries of the store (pages of 1,000 events)', async () => {
    await appendStatuses(store, 'call-a', statuses(3_000), ids);
    // No age limit in the way on a loaded machine: only page boundaries could cut the batch here.
    const engine = startEngine({ catchUp: { maxBatchAgeMs: 60_000 } });
    await eventually(() => isLive(engine));
    expect(trace.batches.reduce((a, b) => a + b, 0)).toBe(3_000);
    expect(Math.max(...trace.batches)).toBeGreaterThan(1_000);
  });

  it('through the shared feed too: its one-page reads end without a pause that would cut the batch', async () => {
    await appendStatuses(store, 'call-a', statuses(3_000), ids);
    // The app's path: the feed reads `$all` one page at a time (readAll with maxCount = page size).
    const feed = new SharedAllFeed(store, { logger: new RecordingLogger() });
    try {
      const engine = startEngine({ source: feed, catchUp: { maxBatchAgeMs: 60_000 } });
      await eventually(() => isLive(engine));
      // Three pages, one batch: each page is followed by exactly one turn of the loop (the feed's own
      // yield), which the runner waits out.
      expect(trace.batches).toEqual([3_000]);
      await engine.stop();
    } finally {
      await feed.stop();
    }
  });

  it('a fresh build on a short log indexes its empty tables at once, before applying anything', async () => {
    await appendStatuses(store, 'call-a', statuses(5), ids);
    const engine = startEngine();
    await eventually(() => isLive(engine));
    expect(trace.deferIndexes).toEqual([true]);
    expect(trace.indexedAt).toEqual([0]);
  });

  it('a build that has a checkpoint keeps its indexes from setup (a restart after a crash)', async () => {
    await appendStatuses(store, 'call-a', statuses(50), ids);
    const first = startEngine({ catchUp: { deferIndexesAbove: 10 } });
    await eventually(() => isLive(first));
    await first.stop();
    await appendStatuses(store, 'call-a', statuses(50), ids);
    const second = startEngine({ catchUp: { deferIndexesAbove: 10 } });
    await eventually(() => isLive(second));
    expect(trace.deferIndexes).toEqual([true, false]);
    expect(trace.indexedAt).toEqual([50]);
  });

  it('a blue/green rebuild creates its deferred indexes before it takes over', async () => {
    await appendStatuses(store, 'call-a', statuses(60), ids);
    const engine = startEngine({ catchUp: { deferIndexesAbove: 10 } });
    await eventually(() => isLive(engine));
    await engine.rebuild('traced');
    const fresh = engine.tables('traced').seen;
    expect(fresh).not.toBe('traced_v1_seen');
    expect(trace.deferIndexes).toEqual([true, true]);
    expect(trace.indexedAt).toEqual([60, 60]);
    const index = readModels.connection
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
      .pluck()
      .all(fresh);
    expect(index).toEqual([`${fresh}_by_status`]);
  });

  it('with catchUp: false, catches up like the live path', async () => {
    await appendStatuses(store, 'call-a', statuses(40), ids);
    const engine = startEngine({ catchUp: false });
    await eventually(() => isLive(engine));
    expect(trace).toEqual({ deferIndexes: [false], batches: [], single: 40, indexedAt: [] });
    expect(readModels.connection.pragma('cache_size', { simple: true })).not.toBe(-128 * 1024);
  });
});
