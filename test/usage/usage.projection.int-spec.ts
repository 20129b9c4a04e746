import type { CallEvent, HangupReason } from '../../src/calls/call';
import { callStreamId } from '../../src/calls/call-stream';
import { type ConferencecallEvent, conferencecallStreamId } from '../../src/conferences/conferencecall';
import type { RecordedEvent } from '../../src/event-store/event-store';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import type { RecordingEvent } from '../../src/recordings/recording';
import { recordingStreamId } from '../../src/recordings/recording-stream';
import { usageProjection } from '../../src/usage/usage.projection';
import { UsageQueries } from '../../src/usage/usage.queries';
import {
  answered,
  assigned,
  chained,
  created,
  hangupRequested,
  hungUp,
  rang,
  released,
} from '../calls/call-fixtures';
import { dump, FakeLog, projectionUnderTest } from '../conferences/conference-fixtures';
import { itAppliesBatchesLikeOneAtATime } from '../support/batch-equivalence';
import { projectionTestBed } from '../support/projection-test-bed';

const CUSTOMER = '00000000-0000-7000-8000-00000000c001';
const OTHER = '00000000-0000-7000-8000-00000000c002';
const CALL = (n: number) => `00000000-0000-7000-8000-0000ca0000${String(n).padStart(2, '0')}`;
const CC = (n: number) => `00000000-0000-7000-8000-0000cc0000${String(n).padStart(2, '0')}`;
const CONF = '00000000-0000-7000-8000-0000000000f1';

/** A call's whole life, ending at `end` after `talk` seconds (0: never answered) with `reason`. */
function callLife(
  n: number,
  end: string,
  talk: number,
  over: { direction?: 'outgoing' | 'incoming'; reason?: HangupReason } = {},
  customerId = CUSTOMER,
): CallEvent[] {
  const callId = CALL(n);
  const start = new Date(Date.parse(end) - (talk + 10) * 1000).toISOString();
  const answerAt = new Date(Date.parse(end) - talk * 1000).toISOString();
  const events: CallEvent[] = [
    created({ callId, customerId, direction: over.direction ?? 'outgoing', at: start }),
    { ...rang(), data: { ...rang().data, callId, at: start } },
  ];
  if (talk > 0) events.push({ ...answered(), data: { ...answered().data, callId, at: answerAt } });
  events.push(
    hungUp({
      callId,
      at: end,
      endTime: end,
      durationSec: talk,
      hangupReason: over.reason ?? (talk > 0 ? 'normal' : 'noanswer'),
    }),
  );
  return events;
}

const ref = (n: number, at: string) => ({
  conferencecallId: CC(n),
  conferenceId: CONF,
  referenceId: CALL(n),
  at,
});
function participation(n: number, joinedAt: string | null, leftAt: string, customerId = CUSTOMER) {
  const events: ConferencecallEvent[] = [
    {
      type: 'ConferencecallJoinStarted',
      data: { ...ref(n, joinedAt ?? leftAt), customerId, referenceType: 'call' },
    },
  ];
  if (joinedAt) events.push({ type: 'ConferencecallJoined', data: ref(n, joinedAt) });
  events.push({ type: 'ConferencecallLeft', data: ref(n, leftAt) });
  return events;
}

const REC = (n: number) => `00000000-0000-7000-8000-0000aa0000${String(n).padStart(2, '0')}`;
/** A recording of call `n`: started, stop requested, and finished at `end` after `durationSec` (null: running). */
function recordingLife(n: number, start: string, end: string | null, durationSec: number): RecordingEvent[] {
  const recordingId = REC(n);
  const events: RecordingEvent[] = [
    {
      type: 'RecordingStarted',
      data: {
        recordingId,
        customerId: CUSTOMER,
        referenceType: 'call',
        referenceId: CALL(n),
        format: 'wav',
        at: start,
      },
    },
    { type: 'RecordingStopRequested', data: { recordingId, reason: 'requested', at: start } },
  ];
  if (end !== null)
    events.push({
      type: 'RecordingFinished',
      data: { recordingId, signalId: `s-${n}`, tmEnd: end, durationSec, mediaUrl: null, at: end },
    });
  return events;
}

describe('usage projection', () => {
  const bed = projectionTestBed(
    usageProjection,
    (engine, readModels) => new UsageQueries(engine, readModels),
  );
  const call = (n: number, ...args: Parameters<typeof callLife> extends [number, ...infer R] ? R : never) =>
    bed.apply(bed.log.append(callStreamId(CALL(n)), ...callLife(n, ...args)));
  const day = (date: string, customerId = CUSTOMER) =>
    bed.queries.report(customerId, date, date, 'day').totals;

  it('meters a call at its end: billable minutes per call rounded up, by direction and outcome', () => {
    call(1, '2026-03-01T10:00:00.000Z', 1); // 1 min
    call(2, '2026-03-01T11:00:00.000Z', 60); // 1 min
    call(3, '2026-03-01T12:00:00.000Z', 61); // 2 min
    call(4, '2026-03-01T13:00:00.000Z', 0); // not answered: 0
    call(5, '2026-03-01T14:00:00.000Z', 125, { direction: 'incoming' }); // 3 min
    call(6, '2026-03-01T15:00:00.000Z', 0, { reason: 'busy' });
    const totals = day('2026-03-01');
    expect(totals).toMatchObject({ calls: 6, billable_minutes: 7, conference_participant_minutes: 0 });
    expect(totals.outgoing).toMatchObject({ calls: 5, billable_minutes: 4 });
    expect(totals.outgoing.outcomes).toMatchObject({ normal: 3, noanswer: 1, busy: 1, failed: 0 });
    expect(totals.incoming).toMatchObject({ calls: 1, billable_minutes: 3 });
    expect(totals.incoming.outcomes.normal).toBe(1);
    expect(totals.recording_minutes).toBe(0);
  });

  it('a call in progress is not metered yet; one that ends after midnight counts on the day it ended', () => {
    const events = callLife(1, '2026-03-02T00:00:30.000Z', 120);
    bed.apply(bed.log.append(callStreamId(CALL(1)), ...events.slice(0, -1)));
    expect(day('2026-03-01').calls).toBe(0);
    bed.apply(bed.log.append(callStreamId(CALL(1)), events.at(-1)!));
    expect(day('2026-03-01').calls).toBe(0);
    expect(day('2026-03-02')).toMatchObject({ calls: 1, billable_minutes: 2 });
  });

  it('meters conference participants from the confirmed join to the leave, each rounded up', () => {
    const leaving = (n: number, joined: string | null, left: string) =>
      bed.apply(bed.log.append(conferencecallStreamId(CC(n)), ...participation(n, joined, left)));
    leaving(1, '2026-03-03T10:00:00.000Z', '2026-03-03T10:10:00.000Z'); // 10 min
    leaving(2, '2026-03-03T10:00:00.000Z', '2026-03-03T10:00:01.000Z'); // 1 min
    leaving(3, null, '2026-03-03T10:00:05.000Z'); // never in the bridge: 0
    bed.apply(
      bed.log.append(
        conferencecallStreamId(CC(4)),
        ...participation(4, null, '2026-03-03T10:00:05.000Z').slice(0, 1),
        {
          type: 'ConferencecallJoinAborted',
          data: { ...ref(4, '2026-03-03T10:00:05.000Z'), reason: 'conference.full' },
        },
      ),
    );
    // Kicked, then left: metered until the leave.
    bed.apply(
      bed.log.append(
        conferencecallStreamId(CC(5)),
        ...participation(5, '2026-03-03T11:00:00.000Z', '2026-03-03T11:02:30.000Z').slice(0, 2),
        { type: 'ConferencecallKicked', data: ref(5, '2026-03-03T11:01:00.000Z') },
        { type: 'ConferencecallLeft', data: ref(5, '2026-03-03T11:02:30.000Z') },
      ),
    );
    expect(day('2026-03-03')).toMatchObject({ conference_participant_minutes: 14, calls: 0 });
  });

  it('changes nothing when each event is applied twice, or every stream is replayed', () => {
    const recorded = [
      ...bed.log.append(callStreamId(CALL(1)), ...callLife(1, '2026-03-04T10:00:00.000Z', 90)),
      ...bed.log.append(callStreamId(CALL(2)), ...callLife(2, '2026-03-04T10:00:00.000Z', 0)),
      ...bed.log.append(
        conferencecallStreamId(CC(1)),
        ...participation(1, '2026-03-04T10:00:00.000Z', '2026-03-04T10:05:00.000Z'),
      ),
      ...bed.log.append(conferencecallStreamId(CC(2)), ...participation(2, null, '2026-03-04T10:05:00.000Z')),
    ];
    bed.expectReplaySafe(recorded);
    expect(day('2026-03-04')).toMatchObject({
      calls: 2,
      billable_minutes: 2,
      conference_participant_minutes: 5,
    });
  });

  it('a rebuild from the log gives the same answer', async () => {
    call(1, '2026-03-05T10:00:00.000Z', 200);
    call(2, '2026-04-01T00:00:00.000Z', 30, { direction: 'incoming' });
    bed.apply(
      bed.log.append(
        conferencecallStreamId(CC(1)),
        ...participation(1, '2026-03-05T10:00:00.000Z', '2026-03-05T10:03:00.000Z'),
      ),
    );
    const before = bed.queries.report(CUSTOMER, '2026-03-01', '2026-04-30', 'month');

    const rebuilt = new ReadModelDatabase(':memory:');
    const again = projectionUnderTest(usageProjection, rebuilt);
    for (const event of bed.log.all) again.handler.handle(event);
    expect(
      new UsageQueries(again.engine, rebuilt).report(CUSTOMER, '2026-03-01', '2026-04-30', 'month'),
    ).toEqual(before);
    await rebuilt.close();
    expect(before.buckets.map((b) => [b.period, b.calls, b.billable_minutes])).toEqual([
      ['2026-03', 1, 4],
      ['2026-04', 1, 1],
    ]);
  });

  it('meters a recording when the media layer reports it finished, by its length, rounded up', () => {
    const recording = (n: number, start: string, end: string | null, durationSec: number) => {
      const recordingId = REC(n);
      const events = recordingLife(n, start, end, durationSec);
      const recorded = bed.log.append(recordingStreamId(recordingId), ...events);
      for (const event of recorded) {
        bed.under.handler.handle(event);
        bed.under.handler.handle(event); // the same event twice changes nothing
      }
    };
    recording(1, '2026-03-07T10:00:00.000Z', '2026-03-07T10:00:30.000Z', 30); // 1 min
    recording(2, '2026-03-07T11:00:00.000Z', '2026-03-07T11:02:01.000Z', 121); // 3 min
    recording(3, '2026-03-07T12:00:00.000Z', null, 0); // still running: not metered
    expect(day('2026-03-07')).toMatchObject({ recording_minutes: 4, calls: 0, billable_minutes: 0 });
  });

  it("keeps tenants apart: a tenant's report has only its own usage", () => {
    call(1, '2026-03-06T10:00:00.000Z', 60);
    bed.apply(
      bed.log.append(callStreamId(CALL(2)), ...callLife(2, '2026-03-06T10:00:00.000Z', 600, {}, OTHER)),
    );
    expect(day('2026-03-06')).toMatchObject({ calls: 1, billable_minutes: 1 });
    expect(day('2026-03-06', OTHER)).toMatchObject({ calls: 1, billable_minutes: 10 });
  });

  it('call events other than creation and hangup meter nothing', () => {
    const callId = created().data.callId;
    bed.apply(bed.log.append(callStreamId(callId), created({ customerId: CUSTOMER })));
    const opened = bed.dump();
    bed.apply(
      bed.log.append(
        callStreamId(callId),
        rang(),
        answered(),
        assigned(),
        released(),
        chained(),
        hangupRequested('terminating', 'normal'),
      ),
    );
    expect(bed.dump()).toEqual(opened);
    bed.apply(bed.log.append(callStreamId(callId), hungUp({ durationSec: 30 })));
    expect(day('2026-01-01')).toMatchObject({ calls: 1, billable_minutes: 1 });
  });

  it('ignores other streams and events it does not meter', () => {
    bed.apply(bed.log.append('conference-x', ...callLife(1, '2026-03-07T10:00:00.000Z', 60)));
    bed.apply(bed.log.append('checkpoint-usage', { type: 'CheckpointSaved', data: { position: '1' } }));
    expect(day('2026-03-07').calls).toBe(0);
    expect(bed.dump()[bed.under.tables.open]).toEqual([]);
  });
});

describe('usage projection, catch-up batches (handleBatch)', () => {
  /**
   * Calls (two tenants, both directions, answered or not, over three days), conference participations
   * (joined, aborted, one still in the bridge) and recordings (finished, running), their streams
   * interleaved as in `$all` so that subjects open in one batch and end in a later one.
   */
  function interleavedLog(): RecordedEvent[] {
    const log = new FakeLog();
    const at = (n: number, minute: number) =>
      `2026-03-0${1 + (n % 3)}T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const streams: RecordedEvent[][] = [
      ...Array.from({ length: 12 }, (_, n) =>
        log.append(
          callStreamId(CALL(n)),
          ...callLife(
            n,
            at(n, 30),
            (n % 4) * 45,
            n % 5 === 0 ? { direction: 'incoming' } : {},
            n % 2 ? OTHER : CUSTOMER,
          ),
        ),
      ),
      ...Array.from({ length: 4 }, (_, n) =>
        log.append(
          conferencecallStreamId(CC(n)),
          ...participation(n, n === 1 ? null : at(n, 1), at(n, 20 + n)),
        ),
      ),
      log.append(conferencecallStreamId(CC(9)), participation(9, at(9, 1), at(9, 2))[0]), // still in the bridge
      log.append(recordingStreamId(REC(1)), ...recordingLife(1, at(1, 0), at(1, 3), 150)),
      log.append(recordingStreamId(REC(2)), ...recordingLife(2, at(2, 0), null, 0)),
    ];
    const longest = Math.max(...streams.map((stream) => stream.length));
    return Array.from({ length: longest }, (_, i) => streams.flatMap((stream) => stream[i] ?? [])).flat();
  }

  /** Applies `batches` to two builds, one with `handleBatch`, one event at a time: same rows after each. */
  async function expectSameAsOneAtATime(batches: RecordedEvent[][]): Promise<void> {
    const databases = [new ReadModelDatabase(':memory:'), new ReadModelDatabase(':memory:')];
    const [batched, single] = databases.map((db) => ({ db, ...projectionUnderTest(usageProjection, db) }));
    try {
      for (const batch of batches) {
        batched.db.connection.transaction(() => batched.handler.handleBatch!(batch))();
        for (const event of batch) single.handler.handle(event);
        expect(dump(batched.db, batched.tables)).toEqual(dump(single.db, single.tables));
      }
      const rows = dump(single.db, single.tables);
      expect(rows[single.tables.metered].length).toBeGreaterThan(10);
      expect(rows[single.tables.open].length).toBeGreaterThan(0);
    } finally {
      for (const db of databases) await db.close();
    }
  }

  itAppliesBatchesLikeOneAtATime(interleavedLog(), expectSameAsOneAtATime);

  it('writes no open row for a subject that opens and ends within the batch, and one for each still open', async () => {
    const readModels = new ReadModelDatabase(':memory:');
    const { handler, tables } = projectionUnderTest(usageProjection, readModels);
    const db = readModels.connection;
    db.exec(`
      CREATE TABLE opened (subject_id TEXT);
      CREATE TRIGGER count_opens AFTER INSERT ON ${tables.open} BEGIN INSERT INTO opened VALUES (new.subject_id); END;
    `);
    const log = new FakeLog();
    const ended = [1, 2, 3].flatMap((n) =>
      log.append(callStreamId(CALL(n)), ...callLife(n, '2026-03-01T10:00:00.000Z', 60)),
    );
    const inProgress = log.append(
      callStreamId(CALL(4)),
      ...callLife(4, '2026-03-01T10:00:00.000Z', 60).slice(0, 2),
    );
    db.transaction(() => handler.handleBatch!([...ended, ...inProgress]))();
    expect(db.prepare('SELECT subject_id FROM opened').pluck().all()).toEqual([CALL(4)]);
    expect(db.prepare(`SELECT count(*) FROM ${tables.metered}`).pluck().get()).toBe(3);
    await readModels.close();
  });
});
