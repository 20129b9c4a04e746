import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import {
  appendStatuses,
  appliedLog,
  callLogProjection,
  callStatuses,
  RecordingLogger,
} from './projection-fixtures';

describe('ProjectionEngine with a read-model file', () => {
  let dir: string;
  let store: SqliteEventStore;
  const clock = new FixedClock();
  const ids = new SequentialIds();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.db'), clock });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    const readModels = new ReadModelDatabase(join(dir, 'read-models.db'));
    const engine = new ProjectionEngine(store, readModels, { clock, logger: new RecordingLogger() });
    engine.register(callLogProjection());
    return { readModels, engine };
  };

  it('resumes from its checkpoint after a restart: nothing lost, nothing doubled', async () => {
    const first = open();
    first.engine.start();
    const before = await appendStatuses(store, 'call-a', ['dialing', 'ringing', 'answered'], ids);
    expect(await first.engine.waitForPosition(before, { timeoutMs: 2_000 })).toBe(true);
    await first.engine.stop();
    await first.readModels.close();

    // Written while no engine runs.
    await appendStatuses(store, 'call-b', ['dialing', 'hungup'], ids);

    const second = open();
    const [stopped] = await second.engine.status();
    expect(stopped).toMatchObject({ checkpoint: before, state: 'stopped', lag: { positions: 2n } });
    second.engine.start();
    const after = await appendStatuses(store, 'call-a', ['hungup'], ids);
    expect(await second.engine.waitForPosition(after, { timeoutMs: 2_000 })).toBe(true);

    const t = second.engine.tables('call-log');
    const applied = appliedLog(second.readModels.connection, t).map((row) => row.position);
    expect(applied).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(callStatuses(second.readModels.connection, t)).toEqual({ a: 'hungup', b: 'hungup' });
    await second.engine.stop();
    await second.readModels.close();
  });

  it('a batch that changed no row stores its checkpoint at most once a second; stopping stores it', async () => {
    const first = open();
    const stored = () =>
      first.readModels.connection
        .prepare("SELECT checkpoint FROM projection_builds WHERE name = 'call-log'")
        .safeIntegers(true)
        .pluck()
        .get();
    first.engine.start();
    const applied = async (position: bigint) =>
      expect(await first.engine.waitForPosition(position, { timeoutMs: 2_000 })).toBe(true);
    const call = await appendStatuses(store, 'call-a', ['dialing'], ids);
    await applied(call);
    expect(stored()).toBe(call); // rows changed: stored with them
    // Events the projection ignores: read-your-writes sees them applied, the stored checkpoint stays.
    const ignored = await appendStatuses(store, 'other-1', ['x'], ids);
    await applied(ignored);
    expect(stored()).toBe(call);
    clock.advance(1_000);
    const later = await appendStatuses(store, 'other-2', ['x'], ids);
    await applied(later);
    expect(stored()).toBe(later);
    const last = await appendStatuses(store, 'other-3', ['x'], ids);
    await applied(last);
    expect(stored()).toBe(later);
    await first.engine.stop();
    expect(stored()).toBe(last);
    await first.readModels.close();
  });

  it('after a crash, applies again only what changed nothing: nothing lost, nothing doubled', async () => {
    const first = open();
    first.engine.start();
    const call = await appendStatuses(store, 'call-a', ['dialing', 'ringing'], ids);
    expect(await first.engine.waitForPosition(call, { timeoutMs: 2_000 })).toBe(true);
    const ignored = await appendStatuses(store, 'other-1', ['x', 'y'], ids);
    expect(await first.engine.waitForPosition(ignored, { timeoutMs: 2_000 })).toBe(true);
    // The process dies: the file closes under the engine, which never stops.
    await first.readModels.close();

    const second = open();
    const [restarted] = await second.engine.status();
    expect(restarted).toMatchObject({ checkpoint: call, lag: { positions: 2n } });
    second.engine.start();
    const after = await appendStatuses(store, 'call-a', ['answered'], ids);
    expect(await second.engine.waitForPosition(after, { timeoutMs: 2_000 })).toBe(true);
    const t = second.engine.tables('call-log');
    expect(appliedLog(second.readModels.connection, t).map((row) => row.position)).toEqual([1n, 2n, 5n]);
    expect(callStatuses(second.readModels.connection, t)).toEqual({ a: 'answered' });
    await second.engine.stop();
    await second.readModels.close();
  });

  it('opens the file in WAL mode', async () => {
    const readModels = new ReadModelDatabase(join(dir, 'read-models.db'));
    expect(readModels.connection.pragma('journal_mode', { simple: true })).toBe('wal');
    await readModels.close();
  });

  it('creates a new file with 16 KiB pages, and opens an older 4 KiB file as it is', async () => {
    const connection = { walCheckpoints: 'connection' } as const;
    const fresh = new ReadModelDatabase(join(dir, 'read-models.db'), connection);
    expect(fresh.connection.pragma('page_size', { simple: true })).toBe(16_384);
    // Checkpoints every ~4 MB of WAL either way (SQLite counts pages).
    expect(fresh.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(256);
    await fresh.close();

    const older = join(dir, 'older.db');
    const made = new Database(older);
    made.pragma('journal_mode = WAL');
    made.exec('CREATE TABLE kept (id INTEGER)');
    made.close();
    const reopened = new ReadModelDatabase(older, connection);
    expect(reopened.connection.pragma('page_size', { simple: true })).toBe(4_096);
    expect(reopened.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1_024);
    expect(reopened.connection.prepare('SELECT count(*) FROM kept').pluck().get()).toBe(0);
    await reopened.close();
  });

  describe('WAL checkpoints in a worker thread (the default for a file)', () => {
    const eventually = async (condition: () => boolean) => {
      for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      return condition();
    };

    it('the connection never checkpoints by itself; the worker moves what was committed into the file', async () => {
      const readModels = new ReadModelDatabase(join(dir, 'read-models.db'));
      try {
        expect(readModels.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
        readModels.connection.exec('CREATE TABLE t (v TEXT)');
        const insert = readModels.connection.prepare('INSERT INTO t VALUES (?)');
        readModels.connection.transaction(() => {
          for (let i = 0; i < 2_000; i++) insert.run('x'.repeat(100));
        })();
        const checkpointer = readModels.checkpointer!;
        const copiedAll = () => {
          const last = checkpointer.status().last;
          return last !== null && last.log > 0 && last.checkpointed === last.log;
        };
        expect(await eventually(copiedAll)).toBe(true);
      } finally {
        await readModels.close();
      }
    });

    it('a catch-up leaves the threshold at 0 and ends by asking the worker, not by checkpointing on the loop', async () => {
      const readModels = new ReadModelDatabase(join(dir, 'read-models.db'));
      const engine = new ProjectionEngine(store, readModels, { clock, logger: new RecordingLogger() });
      engine.register(callLogProjection());
      await appendStatuses(store, 'call-a', ['dialing', 'ringing', 'answered', 'hungup'], ids);
      const checkpointer = readModels.checkpointer!;
      const asked = jest.spyOn(checkpointer, 'checkpointSoon');
      const onLoop = jest.spyOn(readModels.connection, 'pragma');
      try {
        engine.start();
        expect(await eventually(() => asked.mock.calls.length > 0)).toBe(true);
        const pragmas = onLoop.mock.calls.map(([source]) => source);
        expect(pragmas.filter((source) => /wal_checkpoint|wal_autocheckpoint\s*=/.test(source))).toEqual([]);
        expect(readModels.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      } finally {
        await engine.stop();
        await readModels.close();
      }
    });

    it('a worker that dies gives the connection its own threshold back (~4 MB of WAL)', async () => {
      const readModels = new ReadModelDatabase(join(dir, 'read-models.db'));
      try {
        // Ended from outside, as a crash of the thread would: the checkpointer sees its worker exit.
        await (readModels.checkpointer as unknown as { worker: Worker }).worker.terminate();
        const threshold = () => readModels.connection.pragma('wal_autocheckpoint', { simple: true });
        expect(await eventually(() => threshold() === 256)).toBe(true);
        expect(readModels.checkpointer?.status().running).toBe(false);
      } finally {
        await readModels.close();
      }
    });
  });

  it('fails with one clear error when the file cannot be opened', () => {
    expect(() => new ReadModelDatabase(join(dir, 'missing-folder', 'read-models.db'))).toThrow(
      /Read-model database .*read-models\.db cannot be used: .*directory does not exist/,
    );
  });
});
