import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { UnknownProjection } from '../../src/projections/projection.errors';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import {
  appendStatuses,
  appliedLog,
  type CallLogTables,
  callLogProjection,
  callStatuses,
  eventually,
  RecordingLogger,
} from './projection-fixtures';

const appendMetadata = {
  correlation_id: 'c',
  causation_id: 'c',
  customer_id: 'customer-1',
  actor: 'system:test',
};

describe('ProjectionEngine', () => {
  let clock: FixedClock;
  let store: SqliteEventStore;
  let readModels: ReadModelDatabase;
  let engine: ProjectionEngine;
  let ids: SequentialIds;

  beforeEach(() => {
    clock = new FixedClock('2026-03-01T10:00:00.000Z');
    store = new SqliteEventStore({ filename: ':memory:', clock });
    readModels = new ReadModelDatabase(':memory:');
    engine = new ProjectionEngine(store, readModels, { clock, logger: new RecordingLogger() });
    ids = new SequentialIds();
  });

  afterEach(async () => {
    await engine.stop();
    await readModels.close();
    await store.close();
  });

  const tables = () => engine.tables<'calls' | 'applied'>('call-log') as CallLogTables;

  it('applies stored then live events in $all order into per-version tables', async () => {
    engine.register(callLogProjection());
    await appendStatuses(store, 'call-a', ['dialing', 'ringing'], ids);
    await appendStatuses(store, 'call-b', ['dialing'], ids);
    engine.start();
    const last = await appendStatuses(store, 'call-a', ['answered'], ids);

    expect(await engine.waitForPosition(last, { timeoutMs: 2_000 })).toBe(true);
    expect(tables()).toEqual({ calls: 'call_log_v1_calls', applied: 'call_log_v1_applied' });
    expect(callStatuses(readModels.connection, tables())).toEqual({ a: 'answered', b: 'dialing' });
    const positions = appliedLog(readModels.connection, tables()).map((row) => row.position);
    expect(positions).toEqual([1n, 2n, 3n, 4n]);
  });

  it('moves the checkpoint over events the handler ignores', async () => {
    engine.register(callLogProjection());
    engine.start();
    await appendStatuses(store, 'call-a', ['dialing'], ids);
    const ignored = await appendStatuses(store, 'other-1', ['noise', 'noise'], ids);

    expect(await engine.waitForPosition(ignored, { timeoutMs: 2_000 })).toBe(true);
    const [status] = await engine.status();
    expect(status.checkpoint).toBe(ignored);
    expect(appliedLog(readModels.connection, tables())).toHaveLength(1);
  });

  it('reports lag in positions and in milliseconds of the oldest unapplied event', async () => {
    engine.register(callLogProjection());
    await appendStatuses(store, 'call-a', ['dialing'], ids); // created at 10:00:00.000
    clock.advance(250);
    await appendStatuses(store, 'call-a', ['ringing', 'answered'], ids);
    clock.advance(1_000);

    const [before] = await engine.status();
    expect(before).toMatchObject({ name: 'call-log', activeVersion: 1, checkpoint: null, state: 'stopped' });
    expect(before.lag).toEqual({ positions: 3n, ms: 1_250 });

    engine.start();
    await engine.waitForPosition(3n, { timeoutMs: 2_000 });
    await eventually(async () => (await engine.status())[0].state === 'live');
    const [after] = await engine.status();
    expect(after).toMatchObject({ checkpoint: 3n, state: 'live', error: null, rebuild: null });
    expect(after.lag).toEqual({ positions: 0n, ms: 0 });
  });

  it('measures the age from the first event after the checkpoint', async () => {
    engine.register(callLogProjection());
    engine.start();
    await appendStatuses(store, 'call-a', ['dialing'], ids);
    await engine.waitForPosition(1n, { timeoutMs: 2_000 });
    await engine.stop();
    clock.advance(100);
    await appendStatuses(store, 'call-a', ['ringing'], ids); // created 100 ms after the first
    clock.advance(40);

    const [status] = await engine.status();
    expect(status.lag).toEqual({ positions: 1n, ms: 40 });
  });

  it('catches up over many store pages in bounded batches, then reports live', async () => {
    engine.register(callLogProjection());
    const statuses = Array.from({ length: 2_500 }, (_, i) => `s${i}`);
    const last = await appendStatuses(store, 'call-a', statuses, ids);
    engine.start();

    expect(await engine.waitForPosition(last, { timeoutMs: 5_000 })).toBe(true);
    expect(appliedLog(readModels.connection, tables())).toHaveLength(2_500);
    await eventually(async () => (await engine.status())[0].state === 'live');
    expect((await engine.status())[0].lag).toEqual({ positions: 0n, ms: 0 });
  });

  it('is caught up when only a system event, never delivered by $all, lies beyond the checkpoint', async () => {
    engine.register(callLogProjection());
    engine.start();
    const last = await appendStatuses(store, 'call-a', ['dialing'], ids);
    await store.appendToStream(
      '$settings',
      [{ id: ids.newId(), type: '$settings', data: {}, metadata: appendMetadata }],
      { expectedRevision: 'any' },
    );
    expect(await store.headPosition()).toBeGreaterThan(last);
    expect(await engine.waitForPosition(last, { timeoutMs: 2_000 })).toBe(true);

    await eventually(async () => (await engine.status())[0].state === 'live');
    expect((await engine.status())[0]).toMatchObject({ checkpoint: last, lag: { positions: 0n, ms: 0 } });
  });

  describe('waitForPosition', () => {
    it('resolves once the projection has committed the position, without waiting for the timeout', async () => {
      engine.register(callLogProjection());
      engine.start();
      const waiting = engine.waitForPosition(2n, { projections: ['call-log'], timeoutMs: 10_000 });
      let settled = false;
      void waiting.then(() => {
        settled = true;
      });
      await appendStatuses(store, 'call-a', ['dialing'], ids);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);

      const startedAt = Date.now();
      await appendStatuses(store, 'call-a', ['ringing'], ids);
      expect(await waiting).toBe(true);
      expect(Date.now() - startedAt).toBeLessThan(1_000);
      // Read-your-writes: the row is there as soon as the wait resolves.
      expect(callStatuses(readModels.connection, tables())).toEqual({ a: 'ringing' });
    });

    it('resolves false after the timeout when the position is not reached', async () => {
      engine.register(callLogProjection());
      engine.start();
      await appendStatuses(store, 'call-a', ['dialing'], ids);
      const startedAt = Date.now();
      expect(await engine.waitForPosition(99n, { timeoutMs: 50 })).toBe(false);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(45);
    });

    it('resolves at once for a position already passed', async () => {
      engine.register(callLogProjection());
      engine.start();
      await appendStatuses(store, 'call-a', ['dialing', 'ringing'], ids);
      await engine.waitForPosition(2n, { timeoutMs: 2_000 });
      expect(await engine.waitForPosition(1n, { timeoutMs: 0 })).toBe(true);
    });

    it('waits for every named projection', async () => {
      engine.register(callLogProjection());
      engine.register(callLogProjection({ name: 'stuck', failOn: () => true }));
      engine.start();
      const last = await appendStatuses(store, 'call-a', ['dialing'], ids);
      expect(await engine.waitForPosition(last, { projections: ['call-log'], timeoutMs: 2_000 })).toBe(true);
      expect(await engine.waitForPosition(last, { timeoutMs: 50 })).toBe(false);
    });

    it('rejects unknown projection names', async () => {
      engine.register(callLogProjection());
      await expect(engine.waitForPosition(1n, { projections: ['nope'] })).rejects.toBeInstanceOf(
        UnknownProjection,
      );
    });

    it('releases waiters with false when the engine stops', async () => {
      engine.register(callLogProjection());
      engine.start();
      const waiting = engine.waitForPosition(5n, { timeoutMs: 10_000 });
      await engine.stop();
      expect(await waiting).toBe(false);
    });
  });

  it('starts a projection registered after start at once', async () => {
    engine.register(callLogProjection());
    engine.start();
    await appendStatuses(store, 'call-a', ['dialing'], ids);
    engine.register(callLogProjection({ name: 'late-log' }));

    expect(await engine.waitForPosition(1n, { projections: ['late-log'], timeoutMs: 2_000 })).toBe(true);
    const late = engine.tables('late-log');
    expect(late.calls).toBe('late_log_v1_calls');
    expect(callStatuses(readModels.connection, late)).toEqual({ a: 'dialing' });
  });
});
