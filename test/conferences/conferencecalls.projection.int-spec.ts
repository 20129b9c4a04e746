import { conferencecallViewOf } from '../../src/conferences/conference-view';
import {
  type ConferencecallEvent,
  type ConferencecallState,
  conferencecallStreamId,
  evolveConferencecall,
} from '../../src/conferences/conferencecall';
import { conferencecallsProjection } from '../../src/conferences/conferences-read-model/conferencecalls.projection';
import { ConferencecallsQueries } from '../../src/conferences/conferences-read-model/conferencecalls.queries';
import type { RecordedEvent } from '../../src/event-store/event-store';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { at, CUSTOMER, dump, FakeLog, OTHER_CUSTOMER, projectionUnderTest } from './conference-fixtures';

const CONF = ['00000000-0000-7000-8000-0000000000f1', '00000000-0000-7000-8000-0000000000f2'];
const CC = [0, 1, 2, 3].map((n) => `00000000-0000-7000-8000-0000cc00000${n}`);
const CALL = [0, 1, 2, 3].map((n) => `00000000-0000-7000-8000-0000ca00000${n}`);

const ref = (n: number, seconds: number, conference = CONF[0]) => ({
  conferencecallId: CC[n],
  conferenceId: conference,
  referenceId: CALL[n],
  at: at(seconds),
});
const started = (n: number, conference = CONF[0], customerId = CUSTOMER): ConferencecallEvent => ({
  type: 'ConferencecallJoinStarted',
  data: { ...ref(n, n, conference), customerId, referenceType: 'call' },
});
const joined = (n: number): ConferencecallEvent => ({ type: 'ConferencecallJoined', data: ref(n, 10) });
const kicked = (n: number): ConferencecallEvent => ({ type: 'ConferencecallKicked', data: ref(n, 20) });
const left = (n: number): ConferencecallEvent => ({ type: 'ConferencecallLeft', data: ref(n, 30) });
const aborted = (n: number): ConferencecallEvent => ({
  type: 'ConferencecallJoinAborted',
  data: { ...ref(n, 5), reason: 'conference.full' },
});

/** Histories that between them hold every event type. */
const HISTORIES: Record<string, ConferencecallEvent[]> = {
  'join started': [started(0)],
  joined: [started(0), joined(0)],
  kicked: [started(0), joined(0), kicked(0)],
  left: [started(0), joined(0), kicked(0), left(0)],
  'left without a kick (hangup)': [started(0), left(0)],
};

describe('conferencecalls projection', () => {
  let readModels: ReadModelDatabase;
  let log: FakeLog;
  let under: ReturnType<typeof projectionUnderTest<'conferencecalls'>>;
  let queries: ConferencecallsQueries;

  beforeEach(() => {
    readModels = new ReadModelDatabase(':memory:');
    log = new FakeLog();
    under = projectionUnderTest(conferencecallsProjection, readModels);
    queries = new ConferencecallsQueries(under.engine, readModels);
  });
  afterEach(() => readModels.close());

  const apply = (events: RecordedEvent[]) => {
    for (const event of events) under.handler.handle(event);
  };

  it.each(Object.entries(HISTORIES))(
    '%s: the read model shows what the aggregate state shows',
    (_, events) => {
      apply(log.append(conferencecallStreamId(CC[0]), ...events));
      const state = events.reduce<ConferencecallState>(evolveConferencecall, null)!;
      expect(queries.conferencecall(CUSTOMER, CC[0])).toEqual(
        conferencecallViewOf(state, BigInt(events.length - 1)),
      );
    },
  );

  it('keeps the refused rule of an aborted join, and no query shows that participant', () => {
    apply(log.append(conferencecallStreamId(CC[0]), started(0), aborted(0)));
    const row = readModels.connection
      .prepare(`SELECT leave_reason FROM ${under.tables.conferencecalls}`)
      .get();
    expect(row).toEqual({ leave_reason: 'conference.full' });
    expect(queries.conferencecall(CUSTOMER, CC[0])).toBeNull();
    expect(queries.conferencecalls(CUSTOMER, { conferenceId: CONF[0], pageSize: 10 }).result).toEqual([]);
  });

  it('changes nothing when each event is applied twice, or the stream replayed', () => {
    const recorded = log.append(conferencecallStreamId(CC[0]), ...HISTORIES.left);
    for (const event of recorded) {
      under.handler.handle(event);
      const once = dump(readModels, under.tables);
      under.handler.handle(event);
      expect(dump(readModels, under.tables)).toEqual(once);
    }
    const final = dump(readModels, under.tables);
    apply(recorded);
    expect(dump(readModels, under.tables)).toEqual(final);
  });

  it('never moves back when an older event is delivered after a newer one', () => {
    const recorded = log.append(conferencecallStreamId(CC[0]), started(0), joined(0), kicked(0), left(0));
    apply(recorded);
    under.handler.handle(recorded[1]); // joined, again, after leaved
    expect(queries.conferencecall(CUSTOMER, CC[0])!.status).toBe('leaved');
  });

  it('lists by conference and status within the tenant, paged', () => {
    apply(log.append(conferencecallStreamId(CC[0]), started(0), joined(0)));
    apply(log.append(conferencecallStreamId(CC[1]), started(1)));
    apply(log.append(conferencecallStreamId(CC[2]), started(2, CONF[1])));
    apply(log.append(conferencecallStreamId(CC[3]), started(3, CONF[0], OTHER_CUSTOMER)));

    const first = queries.conferencecalls(CUSTOMER, { conferenceId: CONF[0], pageSize: 1 });
    expect(first.result.map((p) => p.id)).toEqual([CC[1]]);
    const second = queries.conferencecalls(CUSTOMER, {
      conferenceId: CONF[0],
      pageSize: 1,
      pageToken: first.next_page_token!,
    });
    expect(second.result.map((p) => p.id)).toEqual([CC[0]]);
    expect(second.next_page_token).toBeNull();
    expect(
      queries.conferencecalls(CUSTOMER, { pageSize: 10, status: 'joined' }).result.map((p) => p.id),
    ).toEqual([CC[0]]);
    expect(queries.conferencecalls(CUSTOMER, { pageSize: 10 }).result).toHaveLength(3);
    expect(queries.conferencecall(OTHER_CUSTOMER, CC[0])).toBeNull();
  });

  it('ignores other streams', () => {
    apply(log.append('conference-x', started(0)));
    apply(log.append('call-x', joined(0)));
    expect(queries.conferencecalls(CUSTOMER, { pageSize: 10 }).result).toEqual([]);
  });
});
