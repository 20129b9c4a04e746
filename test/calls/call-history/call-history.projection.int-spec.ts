import { type CallEvent, evolve, initialState, isCall } from '../../../src/calls/call';
import { callHistoryProjection } from '../../../src/calls/call-history/call-history.projection';
import { callView } from '../../../src/calls/call-view';
import { fold } from '../../../src/domain/decider';
import type { RecordedEvent } from '../../../src/event-store/event-store';
import type { ProjectionHandler } from '../../../src/projections/projection';
import { ReadModelDatabase } from '../../../src/projections/read-model-database';
import { physicalTableNames } from '../../../src/projections/table-names';
import {
  answered,
  assigned,
  CALL_ID,
  CUSTOMER,
  chained,
  created,
  hangupRequested,
  hungUp,
  rang,
  released,
} from '../call-fixtures';

const tables = physicalTableNames({ name: 'call-history', version: 2, generation: 0 }, ['calls']);

/** Each event type, after the shortest history that makes it meaningful. */
const CASES: { name: CallEvent['type']; before: CallEvent[]; event: CallEvent; expected: object }[] = [
  {
    name: 'CallCreated',
    before: [],
    event: created({ userId: 'siap3943' }),
    expected: { status: 'dialing' },
  },
  { name: 'CallRinging', before: [created()], event: rang(), expected: { status: 'ringing' } },
  {
    name: 'CallAnswered',
    before: [created(), rang()],
    event: answered(),
    expected: { status: 'progressing' },
  },
  {
    name: 'CallHangupRequested',
    before: [created(), rang(), answered()],
    event: hangupRequested('terminating', 'normal'),
    expected: { status: 'terminating', hangup_reason: 'normal' },
  },
  {
    name: 'CallHungUp',
    before: [created(), rang(), answered()],
    event: hungUp(),
    expected: { status: 'hangup', hangup_reason: 'normal' },
  },
  {
    name: 'CallAssignedToConference',
    before: [created(), rang(), answered()],
    event: assigned(),
    expected: { status: 'progressing' },
  },
  {
    name: 'CallReleasedFromConference',
    before: [created(), rang(), answered(), assigned()],
    event: released(),
    expected: { status: 'progressing' },
  },
  { name: 'CallChained', before: [created()], event: chained(), expected: { status: 'dialing' } },
];

describe('call-history projection', () => {
  let readModels: ReadModelDatabase;
  let handler: ProjectionHandler;
  let position: bigint;

  beforeEach(() => {
    readModels = new ReadModelDatabase(':memory:');
    handler = callHistoryProjection.setup(readModels.connection, tables);
    position = 0n;
  });
  afterEach(() => readModels.close());

  const recorded = (
    event: CallEvent,
    revision: number,
    streamId = `call-${CALL_ID}`,
    customerId = CUSTOMER,
  ): RecordedEvent => ({
    streamId,
    revision: BigInt(revision),
    position: ++position,
    id: `event-${position}`,
    type: event.type,
    data: event.data,
    metadata: { correlation_id: 'c', causation_id: 'c', customer_id: customerId, actor: 'system:test' },
    created: new Date('2026-01-01T00:00:00.000Z'),
  });

  const apply = (events: CallEvent[], from = 0) => {
    for (const [index, event] of events.entries()) handler.handle(recorded(event, from + index));
  };

  type Row = Record<string, unknown>;
  const rows = () =>
    readModels.connection.prepare<[], Row>(`SELECT * FROM ${tables.calls} ORDER BY call_id`).all();
  const row = () =>
    readModels.connection.prepare(`SELECT * FROM ${tables.calls} WHERE call_id = ?`).get(CALL_ID) as Record<
      string,
      unknown
    >;

  describe.each(CASES)('$name', ({ before, event, expected }) => {
    it('updates the row to the folded state and its filter columns', () => {
      apply([...before, event]);
      const stored = row();
      const state = fold({ evolve, initialState }, [...before, event]);
      if (!isCall(state)) throw new Error('fixture history has no call');
      expect(stored).toMatchObject({
        customer_id: CUSTOMER,
        created: state.tmCreate,
        type: state.type,
        direction: state.direction,
        contact_id: state.contactId,
        user_id: state.userId,
        hangup_reason: state.hangupReason,
        revision: before.length,
        ...expected,
      });
      // What the API will show is exactly what the aggregate itself would render.
      const view = callView(JSON.parse(stored.state as string), BigInt(before.length));
      expect(view).toEqual(callView(state, BigInt(before.length)));
    });

    it('changes nothing when the same event is applied twice', () => {
      apply([...before, event]);
      const once = rows();
      handler.handle(recorded(event, before.length));
      expect(rows()).toEqual(once);
    });

    it('changes nothing when an older event is replayed after it', () => {
      apply([...before, event]);
      const once = rows();
      apply(before);
      expect(rows()).toEqual(once);
    });
  });

  it('applies a batch again correctly after it was rolled back (the folded state in memory was ahead)', () => {
    apply([created(), rang()]);
    const applyInTransaction = readModels.connection.transaction((events: CallEvent[], from: number) => {
      apply(events, from);
      throw new Error('the runner rolls this batch back');
    });
    expect(() => applyInTransaction([answered(), hangupRequested('terminating', 'normal')], 2)).toThrow();
    expect(row()).toMatchObject({ status: 'ringing', revision: 1 });

    // The same handler gets the batch again, as a runner that retries would hand it over.
    apply([answered(), hangupRequested('terminating', 'normal'), hungUp()], 2);
    const state = fold({ evolve, initialState }, [
      created(),
      rang(),
      answered(),
      hangupRequested('terminating', 'normal'),
      hungUp(),
    ]);
    expect(row()).toMatchObject({ status: 'hangup', hangup_reason: 'normal', revision: 4 });
    expect(JSON.parse(row().state as string)).toEqual(state);
  });

  it('a second handler on the same table (another start) continues from the rows', () => {
    apply([created(), rang()]);
    const restarted = callHistoryProjection.setup(readModels.connection, tables);
    restarted.handle(recorded(answered(), 2));
    expect(row()).toMatchObject({ status: 'progressing', revision: 2 });
  });

  it('keeps the chained call ids, conference and end facts in the stored state', () => {
    apply([created(), chained('child-1'), rang(), answered(), assigned('conf-9', 'cc-9')]);
    let view = callView(JSON.parse(row().state as string), 4n);
    expect(view).toMatchObject({ chained_call_ids: ['child-1'], conference_id: 'conf-9' });

    apply([hungUp({ durationSec: 30, rawCause: 'NORMAL_CLEARING' })], 5);
    view = callView(JSON.parse(row().state as string), 5n);
    expect(view).toMatchObject({
      status: 'hangup',
      conference_id: null,
      duration: 30,
      end_reason: 'normal',
      raw_cause: 'NORMAL_CLEARING',
      hangup_by: 'remote',
    });
  });

  it('ignores other streams, unknown event types and events without a created call', () => {
    handler.handle(recorded(created(), 0, 'conference-1'));
    handler.handle({ ...recorded(created(), 0), type: 'CallRenamed' });
    handler.handle(recorded(rang(), 1));
    expect(rows()).toEqual([]);
  });

  it('keeps one row per call with the tenant of its creation', () => {
    handler.handle(
      recorded(created({ callId: 'call-a', customerId: 'tenant-a' }), 0, 'call-call-a', 'tenant-a'),
    );
    handler.handle(
      recorded(created({ callId: 'call-b', customerId: 'tenant-b' }), 0, 'call-call-b', 'tenant-b'),
    );
    expect(rows().map((r) => [r.call_id, r.customer_id])).toEqual([
      ['call-a', 'tenant-a'],
      ['call-b', 'tenant-b'],
    ]);
  });

  it('creates its tables and indexes repeatably (setup runs at every start)', () => {
    expect(() => callHistoryProjection.setup(readModels.connection, tables)).not.toThrow();
    const indexes = readModels.connection
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .all(tables.calls)
      .map((r) => (r as { name: string }).name);
    expect(indexes).toHaveLength(7);
  });

  it.each([
    ['user_id', 'by_user'],
    ['contact_id', 'by_contact'],
    ['hangup_reason', 'by_hangup_reason'],
  ])('a list filtered by %s still uses its partial index', (column, index) => {
    const plan = readModels.connection
      .prepare(
        `EXPLAIN QUERY PLAN SELECT call_id FROM ${tables.calls} WHERE customer_id = ? AND ${column} = ?
         ORDER BY created DESC, call_id DESC LIMIT 20`,
      )
      .all('c', 'x')
      .map((r) => (r as { detail: string }).detail)
      .join('\n');
    expect(plan).toContain(`${tables.calls}_${index}`);
    expect(plan).not.toContain('TEMP B-TREE');
  });
});
