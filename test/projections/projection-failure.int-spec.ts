import type { RecordedEvent } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import {
  appendStatuses,
  appliedLog,
  callLogProjection,
  callStatuses,
  eventually,
  RecordingLogger,
} from './projection-fixtures';

describe('ProjectionEngine when a handler throws', () => {
  let clock: FixedClock;
  let store: SqliteEventStore;
  let readModels: ReadModelDatabase;
  let engine: ProjectionEngine;
  let logger: RecordingLogger;
  let ids: SequentialIds;
  let broken: boolean;
  const failOn = (event: RecordedEvent) => broken && event.data.status === 'poison';

  beforeEach(() => {
    clock = new FixedClock('2026-03-01T10:00:00.000Z');
    store = new SqliteEventStore({ filename: ':memory:', clock });
    readModels = new ReadModelDatabase(':memory:');
    logger = new RecordingLogger();
    engine = new ProjectionEngine(store, readModels, { clock, logger });
    ids = new SequentialIds();
    broken = true;
  });

  afterEach(async () => {
    await engine.stop();
    await readModels.close();
    await store.close();
  });

  const failedStatus = async (name: string) => {
    await eventually(async () => (await engine.status()).find((s) => s.name === name)?.state === 'failed');
    return (await engine.status()).find((s) => s.name === name)!;
  };

  it('rolls back the whole batch: neither rows nor checkpoint move, and reports the event', async () => {
    engine.register(callLogProjection({ failOn }));
    // Five events wait in the store, so the runner takes them as one batch and throws on the fourth.
    await appendStatuses(store, 'call-a', ['dialing', 'ringing', 'answered'], ids);
    await appendStatuses(store, 'call-b', ['poison', 'dialing'], ids);
    engine.start();

    const status = await failedStatus('call-log');
    expect(status.checkpoint).toBeNull();
    expect(status.error).toMatchObject({
      message: 'cannot project CallStatusChanged',
      version: 1,
      eventId: '00000000-0000-7000-8000-000000000004',
      eventType: 'CallStatusChanged',
      position: 4n,
    });
    const t = engine.tables('call-log');
    expect(appliedLog(readModels.connection, t)).toEqual([]);
    expect(callStatuses(readModels.connection, t)).toEqual({});
    expect(logger.errors).toEqual([
      'Projection call-log v1 failed on event 00000000-0000-7000-8000-000000000004 (CallStatusChanged) ' +
        'at position 4: cannot project CallStatusChanged',
    ]);
  });

  it('after a restart applies every event exactly once', async () => {
    engine.register(callLogProjection({ failOn }));
    engine.start();
    await appendStatuses(store, 'call-a', ['dialing', 'ringing'], ids);
    await engine.waitForPosition(2n, { timeoutMs: 2_000 });
    await appendStatuses(store, 'call-b', ['dialing', 'poison', 'answered'], ids);
    await failedStatus('call-log');
    // While failed, new events are not applied and waits time out.
    const last = await appendStatuses(store, 'call-a', ['answered'], ids);
    expect(await engine.waitForPosition(last, { timeoutMs: 30 })).toBe(false);

    broken = false;
    await engine.restart('call-log');

    expect(await engine.waitForPosition(last, { timeoutMs: 2_000 })).toBe(true);
    const t = engine.tables('call-log');
    const applied = appliedLog(readModels.connection, t).map((row) => row.position);
    expect(applied).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(callStatuses(readModels.connection, t)).toEqual({ a: 'answered', b: 'answered' });
    const [status] = await engine.status();
    expect(status).toMatchObject({ checkpoint: 6n, error: null });
  });

  it('stops only the failing projection: the others go on', async () => {
    engine.register(callLogProjection({ name: 'fragile', failOn }));
    engine.register(callLogProjection({ name: 'sturdy' }));
    engine.start();
    await appendStatuses(store, 'call-a', ['dialing', 'poison'], ids);
    await failedStatus('fragile');
    const last = await appendStatuses(store, 'call-a', ['answered'], ids);

    expect(await engine.waitForPosition(last, { projections: ['sturdy'], timeoutMs: 2_000 })).toBe(true);
    expect(callStatuses(readModels.connection, engine.tables('sturdy'))).toEqual({ a: 'answered' });
    const states = Object.fromEntries((await engine.status()).map((s) => [s.name, s.state]));
    expect(states).toEqual({ fragile: 'failed', sturdy: 'live' });
  });

  it('reports a projection whose setup fails as failed, without an event', async () => {
    engine.register({
      name: 'broken-setup',
      version: 1,
      tables: ['rows'],
      setup: () => {
        throw new Error('no such table: nowhere');
      },
    });
    engine.register(callLogProjection());
    engine.start();
    const last = await appendStatuses(store, 'call-a', ['dialing'], ids);

    expect(await engine.waitForPosition(last, { projections: ['call-log'], timeoutMs: 2_000 })).toBe(true);
    const status = (await engine.status()).find((s) => s.name === 'broken-setup')!;
    expect(status.state).toBe('failed');
    expect(status.error).toMatchObject({ message: 'no such table: nowhere', eventId: null, position: null });
  });
});
