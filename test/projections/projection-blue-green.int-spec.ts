import type { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionDowngrade, ProjectionRebuildInProgress } from '../../src/projections/projection.errors';
import { ProjectionEngine, type ProjectionEngineOptions } from '../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import {
  appendStatuses,
  appliedLog,
  callLogProjection,
  callStatuses,
  eventually,
  RecordingLogger,
  tableExists,
} from './projection-fixtures';

const V1 = { calls: 'call_log_v1_calls', applied: 'call_log_v1_applied' };
const V2 = { calls: 'call_log_v2_calls', applied: 'call_log_v2_applied' };

describe('ProjectionEngine blue/green builds', () => {
  let clock: FixedClock;
  let store: SqliteEventStore;
  let readModels: ReadModelDatabase;
  let engines: ProjectionEngine[];
  let ids: SequentialIds;
  let v2Broken: boolean;
  const v2FailOn = (event: RecordedEvent) => v2Broken && event.data.status === 'poison';

  beforeEach(() => {
    clock = new FixedClock('2026-03-01T10:00:00.000Z');
    store = new SqliteEventStore({ filename: ':memory:', clock });
    readModels = new ReadModelDatabase(':memory:');
    engines = [];
    ids = new SequentialIds();
    v2Broken = true;
  });

  afterEach(async () => {
    for (const engine of engines) await engine.stop();
    await readModels.close();
    await store.close();
  });

  const newEngine = (options: ProjectionEngineOptions = {}) => {
    const engine = new ProjectionEngine(store, readModels, {
      clock,
      logger: new RecordingLogger(),
      ...options,
    });
    engines.push(engine);
    return engine;
  };

  /** v1 has served events 1-2 and was stopped, as before a deploy of v2. */
  const servedByV1 = async () => {
    const old = newEngine();
    old.register(callLogProjection({ version: 1 }));
    old.start();
    await appendStatuses(store, 'call-a', ['dialing', 'ringing'], ids);
    await old.waitForPosition(2n, { timeoutMs: 2_000 });
    await old.stop();
  };

  const statusOf = async (engine: ProjectionEngine) => (await engine.status())[0];
  const db = () => readModels.connection;

  it('builds v2 while v1 keeps serving and updating, then switches and drops the v1 tables', async () => {
    await servedByV1();
    await appendStatuses(store, 'call-b', ['poison'], ids); // v2 cannot project this until it is fixed
    const engine = newEngine();
    engine.register(callLogProjection({ version: 1 }));
    engine.register(callLogProjection({ version: 2, failOn: v2FailOn }));
    engine.start();

    await eventually(async () => (await statusOf(engine)).rebuild?.state === 'failed');
    const live = await appendStatuses(store, 'call-a', ['answered'], ids);
    expect(await engine.waitForPosition(live, { timeoutMs: 2_000 })).toBe(true);
    expect(engine.tables('call-log')).toEqual(V1);
    expect(callStatuses(db(), V1)).toEqual({ a: 'answered', b: 'poison' });
    expect(callStatuses(db(), V2)).toEqual({});
    expect(await statusOf(engine)).toMatchObject({
      activeVersion: 1,
      checkpoint: live,
      state: 'failed',
      error: { version: 2, position: 3n },
      rebuild: { version: 2, generation: 0, checkpoint: null, state: 'failed' },
    });

    v2Broken = false;
    await engine.restart('call-log');
    await eventually(async () => (await statusOf(engine)).activeVersion === 2);

    expect(engine.tables('call-log')).toEqual(V2);
    expect(callStatuses(db(), V2)).toEqual({ a: 'answered', b: 'poison' });
    expect(appliedLog(db(), V2).map((row) => row.position)).toEqual([1n, 2n, 3n, 4n]);
    await eventually(() => !tableExists(db(), V1.calls) && !tableExists(db(), V1.applied));
    expect(await statusOf(engine)).toMatchObject({
      activeVersion: 2,
      state: 'live',
      rebuild: null,
      error: null,
    });
    // After the switch, v2 alone takes new events and answers read-your-writes.
    const after = await appendStatuses(store, 'call-c', ['dialing'], ids);
    expect(await engine.waitForPosition(after, { timeoutMs: 2_000 })).toBe(true);
    expect(callStatuses(db(), engine.tables('call-log'))).toMatchObject({ c: 'dialing' });
  });

  it('serves the v1 tables as they were while only v2 is registered, until v2 takes over', async () => {
    await servedByV1();
    await appendStatuses(store, 'call-a', ['answered'], ids);
    const engine = newEngine({ batchSize: 1 });
    engine.register(callLogProjection({ version: 2 }));
    engine.start();

    // Nothing switches before the new build has caught up (it needs at least one turn of the event loop).
    expect(engine.tables('call-log')).toEqual(V1);
    expect(await statusOf(engine)).toMatchObject({ activeVersion: 1, checkpoint: 2n, state: 'rebuilding' });
    expect(callStatuses(db(), V1)).toEqual({ a: 'ringing' });

    await eventually(async () => (await statusOf(engine)).activeVersion === 2);
    expect(engine.tables('call-log')).toEqual(V2);
    expect(callStatuses(db(), V2)).toEqual({ a: 'answered' });
    expect(await statusOf(engine)).toMatchObject({ checkpoint: 3n, rebuild: null });
  });

  it('switches even when the head of the store is a system event $all never delivers', async () => {
    await servedByV1();
    const metadata = {
      correlation_id: 'c',
      causation_id: 'c',
      customer_id: 'customer-1',
      actor: 'system:test',
    };
    await store.appendToStream('$settings', [{ id: ids.newId(), type: '$settings', data: {}, metadata }], {
      expectedRevision: 'any',
    });
    const engine = newEngine();
    engine.register(callLogProjection({ version: 2 }));
    engine.start();

    await eventually(async () => (await statusOf(engine)).activeVersion === 2);
    expect(callStatuses(db(), engine.tables('call-log'))).toEqual({ a: 'ringing' });
  });

  it('resumes an interrupted build from its own checkpoint after a restart', async () => {
    await servedByV1();
    await appendStatuses(store, 'call-b', ['poison'], ids);
    const first = newEngine({ batchSize: 1 });
    first.register(callLogProjection({ version: 2, failOn: v2FailOn }));
    first.start();
    await eventually(async () => (await statusOf(first)).rebuild?.checkpoint === 2n);
    await eventually(async () => (await statusOf(first)).state === 'failed');
    await first.stop();

    v2Broken = false;
    const second = newEngine();
    second.register(callLogProjection({ version: 2 }));
    expect(second.tables('call-log')).toEqual(V1);
    second.start();
    await eventually(async () => (await statusOf(second)).activeVersion === 2);
    expect(appliedLog(db(), V2).map((row) => row.position)).toEqual([1n, 2n, 3n]);
  });

  it('rebuild() builds the same version into fresh tables and resolves after the switch', async () => {
    const engine = newEngine();
    engine.register(callLogProjection({ version: 1 }));
    engine.start();
    await appendStatuses(store, 'call-a', ['dialing', 'ringing'], ids);
    await engine.waitForPosition(2n, { timeoutMs: 2_000 });

    const rebuilt = engine.rebuild('call-log');
    await expect(engine.rebuild('call-log')).rejects.toBeInstanceOf(ProjectionRebuildInProgress);
    expect(engine.tables('call-log')).toEqual(V1);
    await rebuilt;

    const fresh = { calls: 'call_log_v1_r1_calls', applied: 'call_log_v1_r1_applied' };
    expect(engine.tables('call-log')).toEqual(fresh);
    expect(callStatuses(db(), fresh)).toEqual({ a: 'ringing' });
    expect(appliedLog(db(), fresh).map((row) => row.position)).toEqual([1n, 2n]);
    await eventually(() => !tableExists(db(), V1.calls));

    await engine.rebuild('call-log');
    expect(engine.tables('call-log').calls).toBe('call_log_v1_r2_calls');
    expect(tableExists(db(), fresh.calls)).toBe(true); // dropped once its runner has stopped, just after
    await eventually(() => !tableExists(db(), fresh.calls));
  });

  it('starts a blue/green build when a newer version is registered while running', async () => {
    const engine = newEngine();
    engine.register(callLogProjection({ version: 1 }));
    engine.start();
    await appendStatuses(store, 'call-a', ['dialing', 'ringing'], ids);
    await engine.waitForPosition(2n, { timeoutMs: 2_000 });

    engine.register(callLogProjection({ version: 2 }));
    await eventually(async () => (await statusOf(engine)).activeVersion === 2);
    expect(callStatuses(db(), engine.tables('call-log'))).toEqual({ a: 'ringing' });
    const after = await appendStatuses(store, 'call-a', ['answered'], ids);
    expect(await engine.waitForPosition(after, { timeoutMs: 2_000 })).toBe(true);
    expect(callStatuses(db(), V2)).toEqual({ a: 'answered' });
  });

  it('refuses to register a version older than the active one', async () => {
    await servedByV1();
    const newer = newEngine();
    newer.register(callLogProjection({ version: 2 }));
    newer.start();
    await eventually(async () => (await statusOf(newer)).activeVersion === 2);
    await newer.stop();

    const older = newEngine();
    expect(() => older.register(callLogProjection({ version: 1 }))).toThrow(ProjectionDowngrade);
  });
});
