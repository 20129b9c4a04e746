import type { CallEvent } from '../../../src/calls/call';
import { CallHistory } from '../../../src/calls/call-history/call-history';
import { CALL_HISTORY, callHistoryProjection } from '../../../src/calls/call-history/call-history.projection';
import type { EventStore } from '../../../src/event-store/event-store';
import { SqliteEventStore } from '../../../src/event-store/sqlite/sqlite-event-store';
import { decodePageToken } from '../../../src/http/pagination';
import { ProjectionEngine } from '../../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../../src/projections/read-model-database';
import { RecordingLogger } from '../../projections/projection-fixtures';
import { FixedClock, SequentialIds } from '../../support/fixed-clock';
import { created, hangupRequested, hungUp, rang } from '../call-fixtures';

const T = '2026-01-01T00:00:00.000Z';

describe('call-history queries', () => {
  let store: EventStore;
  let readModels: ReadModelDatabase;
  let engine: ProjectionEngine;
  let history: CallHistory;
  let eventIds: SequentialIds;
  let last: bigint;

  beforeEach(() => {
    const clock = new FixedClock(T);
    store = new SqliteEventStore({ filename: ':memory:', clock });
    readModels = new ReadModelDatabase(':memory:');
    engine = new ProjectionEngine(store, readModels, { clock, logger: new RecordingLogger() });
    engine.register(callHistoryProjection);
    engine.start();
    history = new CallHistory(engine, readModels);
    eventIds = new SequentialIds('eeeeeeee');
    last = 0n;
  });

  afterEach(async () => {
    await engine.stop();
    await readModels.close();
    await store.close();
  });

  /** Appends a call's events (with the call id patched in) and remembers the position to wait for. */
  async function call(callId: string, events: CallEvent[], customerId = 'tenant-a'): Promise<void> {
    const result = await store.appendToStream(
      `call-${callId}`,
      events.map((event) => ({
        id: eventIds.newId(),
        type: event.type,
        data: { ...event.data, callId, ...(event.type === 'CallCreated' ? { customerId } : {}) },
        metadata: { correlation_id: 'c', causation_id: 'c', customer_id: customerId, actor: 'system:test' },
      })),
      { expectedRevision: 'any' },
    );
    last = result.position;
  }
  const caughtUp = async () => expect(await engine.waitForPosition(last, { timeoutMs: 2_000 })).toBe(true);
  const id = (n: number) => `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

  function allPages(
    read: (after: ReturnType<typeof decodePageToken> | null) => ReturnType<CallHistory['list']>,
  ) {
    const seen: string[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = read(token === null ? null : decodePageToken(token));
      seen.push(...page.records.map((r) => r.call.id));
      token = page.nextPageToken;
      if (token === null) return seen;
    }
    throw new Error('pagination does not end');
  }

  it('pages through calls created at the same instant without losing or repeating one', async () => {
    // Created in a scrambled id order, all in the same millisecond: only the id orders them.
    const numbers = Array.from({ length: 23 }, (_, i) => ((i * 7) % 23) + 1);
    for (const n of numbers) await call(id(n), [created({ at: T })]);
    await caughtUp();

    const seen = allPages((after) => history.list('tenant-a', {}, 5, after));
    expect(seen).toEqual(numbers.map(id).sort().reverse());
    expect(history.list('tenant-a', {}, 23, null).nextPageToken).toBeNull();
  });

  it('orders newest first and keeps the order across pages when times differ', async () => {
    await call(id(1), [created({ at: '2026-01-01T00:00:02.000Z' })]);
    await call(id(2), [created({ at: '2026-01-01T00:00:01.000Z' })]);
    await call(id(3), [created({ at: '2026-01-01T00:00:03.000Z' })]);
    await call(id(4), [created({ at: '2026-01-01T00:00:01.000Z' })]);
    await caughtUp();
    expect(allPages((after) => history.list('tenant-a', {}, 1, after))).toEqual([id(3), id(1), id(4), id(2)]);
  });

  it('filters by status, direction, type, contact, user, hangup reason and created range', async () => {
    await call(id(1), [created({ at: '2026-01-01T00:00:01.000Z', userId: 'u1', contactId: 'c1' })]);
    await call(id(2), [
      created({ at: '2026-01-01T00:00:02.000Z', type: 'video', direction: 'incoming', contactId: 'c2' }),
      rang(),
    ]);
    await call(id(3), [
      created({ at: '2026-01-01T00:00:03.000Z', userId: 'u1' }),
      hangupRequested('canceling', 'cancel'),
      hungUp({ hangupBy: 'local', hangupReason: 'cancel' }),
    ]);
    await caughtUp();
    const ids = (filters: Parameters<CallHistory['list']>[1]) =>
      history.list('tenant-a', filters, 10, null).records.map((r) => r.call.id);

    expect(ids({})).toEqual([id(3), id(2), id(1)]);
    expect(ids({ status: 'ringing' })).toEqual([id(2)]);
    expect(ids({ status: 'hangup' })).toEqual([id(3)]);
    expect(ids({ direction: 'incoming' })).toEqual([id(2)]);
    expect(ids({ type: 'video' })).toEqual([id(2)]);
    expect(ids({ contactId: 'c1' })).toEqual([id(1)]);
    expect(ids({ userId: 'u1' })).toEqual([id(3), id(1)]);
    expect(ids({ userId: 'u1', status: 'dialing' })).toEqual([id(1)]);
    expect(ids({ hangupReason: 'cancel' })).toEqual([id(3)]);
    expect(ids({ createdAfter: '2026-01-01T00:00:02.000Z' })).toEqual([id(3), id(2)]);
    expect(ids({ createdBefore: '2026-01-01T00:00:02.000Z' })).toEqual([id(1)]);
    expect(
      ids({ createdAfter: '2026-01-01T00:00:02.000Z', createdBefore: '2026-01-01T00:00:03.000Z' }),
    ).toEqual([id(2)]);
  });

  it('never shows another tenant its calls', async () => {
    await call(id(1), [created({ userId: 'u1' })], 'tenant-a');
    await call(id(2), [created({ userId: 'u1' })], 'tenant-b');
    await caughtUp();
    expect(history.list('tenant-b', {}, 10, null).records.map((r) => r.call.id)).toEqual([id(2)]);
    expect(history.history('tenant-b', 'u1', 10, null).records.map((r) => r.call.id)).toEqual([id(2)]);
    expect(history.byId('tenant-b', id(1))).toBeNull();
    expect(history.byId('tenant-a', id(1))?.revision).toBe(0n);
  });

  it("pages a user's history over the calls it made and received, a call to itself once", async () => {
    // u1 made 1, 3, 5 (and 5 to itself); received 2, 4; 6 is someone else's. All at the same instant.
    await call(id(1), [created({ userId: 'u1', contactId: 'x' })]);
    await call(id(2), [created({ userId: 'y', contactId: 'u1' })]);
    await call(id(3), [created({ userId: 'u1', contactId: 'x' })]);
    await call(id(4), [created({ userId: null, contactId: 'u1' })]);
    await call(id(5), [created({ userId: 'u1', contactId: 'u1' })]);
    await call(id(6), [created({ userId: 'y', contactId: 'x' })]);
    await caughtUp();

    for (const size of [1, 2, 3, 10]) {
      expect(allPages((after) => history.history('tenant-a', 'u1', size, after))).toEqual(
        [5, 4, 3, 2, 1].map(id),
      );
    }
    expect(allPages((after) => history.history('tenant-a', null, 4, after))).toHaveLength(6);
  });

  it('answers every query shape by an index range in cursor order, never by sorting or skipping rows', async () => {
    const prepared: string[] = [];
    const prepare = readModels.connection.prepare.bind(readModels.connection);
    jest.spyOn(readModels.connection, 'prepare').mockImplementation(((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof readModels.connection.prepare);
    await call(id(1), [created()]);
    await caughtUp();
    const cursor = { created: T, id: id(1) };
    for (const after of [null, cursor]) {
      history.list('tenant-a', {}, 10, after);
      for (const filter of [
        { status: 'dialing' },
        { direction: 'outgoing' },
        { type: 'voice' },
        { contactId: 'c' },
        { userId: 'u' },
        { hangupReason: 'busy' },
        { createdAfter: '2025-01-01T00:00:00.000Z', createdBefore: '2027-01-01T00:00:00.000Z' },
      ] as const) {
        history.list('tenant-a', filter, 10, after);
      }
      history.history('tenant-a', 'u1', 10, after);
    }

    const queries = prepared.filter((sql) => sql.includes('ORDER BY'));
    expect(queries).toHaveLength(18);
    const calls = engine.tables(CALL_HISTORY).calls;
    for (const sql of queries) {
      const plan = readModels.connection
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x'))
        .map((row) => (row as { detail: string }).detail);
      const reads = plan.filter((step) => step.includes(calls));
      expect(reads.length).toBeGreaterThan(0);
      for (const step of reads) {
        // The tenant and the filter are the index prefix; a later page starts its range at the cursor.
        expect(step).toMatch(new RegExp(`^SEARCH ${calls} USING INDEX ${calls}_by_\\w+ \\(customer_id=\\?`));
        if (sql.includes('(created, call_id) <')) expect(step).toContain('(created,call_id)<(?,?)');
      }
      // Only the UNION of the two history halves is sorted: at most 2 × (limit + 1) rows.
      if (!sql.includes('UNION')) expect(plan.join('\n')).not.toContain('TEMP B-TREE');
      expect(sql).not.toMatch(/OFFSET|COUNT/i);
    }
  });
});
