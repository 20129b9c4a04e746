import Database from 'better-sqlite3';
import { callTimerSource } from '../../src/calls/call-process/call-timer-source';
import type { EventMetadata, RecordedEvent } from '../../src/event-store/event-store';
import type { ProjectionHandler } from '../../src/projections/projection';
import { TimerRegistry } from '../../src/timers/timer-source';
import { type TimerTables, timersProjection } from '../../src/timers/timers.projection';
import { answered, CALL_ID, created, hungUp, rang } from '../calls/call-fixtures';

const STREAM = `call-${CALL_ID}`;
const t: TimerTables = { streams: 'timers_streams', due: 'timers_due' };

function recorded(
  event: { type: string; data: object },
  revision: number,
  correlation = 'corr-1',
): RecordedEvent {
  const metadata: EventMetadata = {
    correlation_id: correlation,
    causation_id: correlation,
    customer_id: 'customer-a',
    actor: 'key:k1',
  };
  return {
    streamId: STREAM,
    revision: BigInt(revision),
    position: BigInt(revision + 1),
    id: `event-${revision}`,
    type: event.type,
    data: event.data as RecordedEvent['data'],
    metadata,
    created: new Date(0),
  };
}

describe('timers projection', () => {
  let db: Database.Database;
  let handler: ProjectionHandler;
  let changes: number;

  beforeEach(() => {
    db = new Database(':memory:');
    const registry = new TimerRegistry();
    registry.register(callTimerSource);
    changes = 0;
    handler = timersProjection(registry, () => changes++).setup(db, t);
  });
  afterEach(() => db.close());

  const due = () =>
    db.prepare(`SELECT stream_id, kind, due_at, customer_id, correlation_id FROM ${t.due}`).all();
  const stateRow = () =>
    db
      .prepare<[string], { revision: number; state: string | null }>(
        `SELECT revision, state FROM ${t.streams} WHERE stream_id = ?`,
      )
      .get(STREAM);

  it('lists the dial timeout of a created call, with the tenant and the correlation of the event', () => {
    handler.handle(recorded(created(), 0));
    expect(due()).toEqual([
      {
        stream_id: STREAM,
        kind: 'dial_timeout',
        due_at: '2026-01-01T00:01:00.000Z',
        customer_id: 'customer-a',
        correlation_id: 'corr-1',
      },
    ]);
    expect(changes).toBe(1);
  });

  it('keeps an unchanged timer as it was (ringing does not move the dial timeout)', () => {
    handler.handle(recorded(created(), 0));
    handler.handle(recorded(rang(), 1, 'corr-2'));
    expect(due()).toMatchObject([{ kind: 'dial_timeout', correlation_id: 'corr-1' }]);
    expect(changes).toBe(1);
  });

  it('replaces the dial timeout by the max duration on answer', () => {
    handler.handle(recorded(created(), 0));
    handler.handle(recorded(answered(), 1, 'corr-2'));
    expect(due()).toMatchObject([
      { kind: 'max_duration', due_at: '2026-01-01T01:00:05.000Z', correlation_id: 'corr-2' },
    ]);
  });

  it('the same event twice changes nothing (guarded by stream revision)', () => {
    handler.handle(recorded(created(), 0));
    handler.handle(recorded(answered(), 1));
    const before = { due: due(), state: stateRow() };
    handler.handle(recorded(answered(), 1));
    handler.handle(recorded(created(), 0));
    expect({ due: due(), state: stateRow() }).toEqual(before);
  });

  it('drops the state of a hung-up call and ignores its later events', () => {
    handler.handle(recorded(created(), 0));
    handler.handle(recorded(hungUp(), 1));
    expect(due()).toEqual([]);
    expect(stateRow()).toEqual({ revision: 1, state: null });
    handler.handle(recorded(rang(), 2));
    expect(due()).toEqual([]);
    expect(stateRow()).toEqual({ revision: 2, state: null });
  });

  it('ignores streams no source claims', () => {
    handler.handle({ ...recorded(created(), 0), streamId: 'customer-x' });
    expect(due()).toEqual([]);
    expect(changes).toBe(0);
  });
});
