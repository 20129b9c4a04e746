import type { CallEvent } from '../../../src/calls/call';
import { callHistoryProjection } from '../../../src/calls/call-history/call-history.projection';
import type { RecordedEvent } from '../../../src/event-store/event-store';
import { ReadModelDatabase } from '../../../src/projections/read-model-database';
import { physicalTableNames } from '../../../src/projections/table-names';
import { answered, assigned, created, hangupRequested, hungUp, rang, released } from '../call-fixtures';

const tables = physicalTableNames({ name: 'call-history', version: 2, generation: 0 }, ['calls']);

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;

/** A call's history by its number: some end, some stay in progress, one goes through a conference. */
function history(n: number): CallEvent[] {
  const first = created({ callId: id(n), customerId: `tenant-${n % 3}`, userId: n % 2 ? 'u' : null });
  switch (n % 4) {
    case 0:
      return [first, rang(), answered(), hangupRequested('terminating', 'normal'), hungUp()];
    case 1:
      return [first, rang()];
    case 2:
      return [first, rang(), answered(), assigned(), released(), hungUp({ hangupReason: 'busy' })];
    default:
      return [first];
  }
}

/** Histories of `calls` calls interleaved round-robin into one `$all`, as concurrent calls are. */
function interleaved(calls: number): RecordedEvent[] {
  const histories = Array.from({ length: calls }, (_, n) => history(n));
  const all: RecordedEvent[] = [];
  for (let revision = 0; histories.some((h) => revision < h.length); revision++) {
    for (const [n, events] of histories.entries()) {
      const event = events[revision];
      if (!event) continue;
      all.push({
        streamId: `call-${id(n)}`,
        revision: BigInt(revision),
        position: BigInt(all.length + 1),
        id: `event-${all.length + 1}`,
        type: event.type,
        data: event.data,
        metadata: { correlation_id: 'c', causation_id: 'c', customer_id: 'x', actor: 'system:test' },
        created: new Date('2026-01-01T00:00:00.000Z'),
      });
    }
  }
  return all;
}

describe('call-history projection in catch-up (handleBatch, deferred indexes)', () => {
  const databases: ReadModelDatabase[] = [];
  const open = () => {
    const readModels = new ReadModelDatabase(':memory:');
    databases.push(readModels);
    return readModels.connection;
  };
  afterEach(async () => {
    for (const readModels of databases.splice(0)) await readModels.close();
  });

  const rows = (db: ReturnType<typeof open>) =>
    db.prepare(`SELECT * FROM ${tables.calls} ORDER BY call_id`).all();
  const indexes = (db: ReturnType<typeof open>) =>
    db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .all(tables.calls).length;

  const oneByOne = (events: RecordedEvent[]) => {
    const db = open();
    const handler = callHistoryProjection.setup(db, tables);
    for (const event of events) handler.handle(event);
    return rows(db);
  };

  it('builds exactly the rows of event-by-event application, whatever the batch boundaries', () => {
    const events = interleaved(12);
    const expected = oneByOne(events);
    for (const size of [1, 2, 7, 13, events.length]) {
      const db = open();
      const handler = callHistoryProjection.setup(db, tables, { deferIndexes: true });
      for (let at = 0; at < events.length; at += size) {
        db.transaction(() => handler.handleBatch!(events.slice(at, at + size)))();
      }
      expect(rows(db)).toEqual(expected);
    }
  });

  it('changes nothing when a batch is applied twice, or an older batch after a newer one', () => {
    const events = interleaved(8);
    const db = open();
    const handler = callHistoryProjection.setup(db, tables);
    handler.handleBatch!(events);
    const once = rows(db);
    handler.handleBatch!(events);
    handler.handleBatch!(events.slice(0, 10));
    expect(rows(db)).toEqual(once);
    // A new handler (another start) has no memory: it reads the rows.
    callHistoryProjection.setup(db, tables).handleBatch!(events);
    expect(rows(db)).toEqual(once);
  });

  it('applies a batch again correctly after it was rolled back (memory ahead of the table)', () => {
    const events = interleaved(8);
    const expected = oneByOne(events);
    const db = open();
    const handler = callHistoryProjection.setup(db, tables);
    const half = Math.floor(events.length / 2);
    db.transaction(() => handler.handleBatch!(events.slice(0, half)))();
    const rolledBack = db.transaction(() => {
      handler.handleBatch!(events.slice(half));
      throw new Error('the runner rolls this batch back');
    });
    expect(rolledBack).toThrow();
    handler.handleBatch!(events.slice(half));
    expect(rows(db)).toEqual(expected);
  });

  it('a batch with a duplicate creation of an existing call keeps the row and applies the rest', () => {
    const events = interleaved(4);
    const expected = oneByOne(events);
    const db = open();
    const handler = callHistoryProjection.setup(db, tables);
    const firstCreation = events[0];
    handler.handleBatch!(events.slice(0, 6));
    handler.handleBatch!([firstCreation, ...events.slice(6)]);
    expect(rows(db)).toEqual(expected);
  });

  it('with deferIndexes, setup creates no secondary index and afterCatchUp creates all seven, repeatably', () => {
    const db = open();
    callHistoryProjection.setup(db, tables, { deferIndexes: true });
    expect(indexes(db)).toBe(0);
    callHistoryProjection.afterCatchUp!(db, tables);
    callHistoryProjection.afterCatchUp!(db, tables);
    expect(indexes(db)).toBe(7);
  });
});
