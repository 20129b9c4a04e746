import type { ConferenceAction, ConferenceEvent, ConferenceState } from '../../src/conferences/conference';
import { evolveConference } from '../../src/conferences/conference';
import { conferenceStreamId } from '../../src/conferences/conference-stream';
import { conferenceViewOf } from '../../src/conferences/conference-view';
import { conferencesProjection } from '../../src/conferences/conferences-read-model/conferences.projection';
import { ConferencesQueries } from '../../src/conferences/conferences-read-model/conferences.queries';
import type { RecordedEvent } from '../../src/event-store/event-store';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { at, CUSTOMER, dump, FakeLog, OTHER_CUSTOMER, projectionUnderTest } from './conference-fixtures';

const CONF = '00000000-0000-7000-8000-0000000000f1';
const CC = [0, 1, 2].map((n) => `00000000-0000-7000-8000-0000cc00000${n}`);
const CALL = [0, 1, 2].map((n) => `00000000-0000-7000-8000-0000ca00000${n}`);
const TALK: ConferenceAction = { type: 'talk', option: { text: 'Welcome' } };

const created = (id = CONF, customerId = CUSTOMER, seconds = 0): ConferenceEvent => ({
  type: 'ConferenceCreated',
  data: {
    conferenceId: id,
    customerId,
    conferenceType: 'conference',
    name: 'test conference',
    detail: 'test conference for example',
    data: { team: 'a' },
    timeout: 60,
    timeoutAt: at(seconds + 60),
    maxParticipants: 10,
    preActions: [TALK],
    postActions: [{ type: 'talk', option: { text: 'Bye' } }],
    at: at(seconds),
  },
});
const updated: ConferenceEvent = {
  type: 'ConferenceUpdated',
  data: {
    conferenceId: CONF,
    name: 'renamed',
    detail: 'd',
    timeout: 0,
    timeoutAt: null,
    maxParticipants: null,
    at: at(5),
  },
};
const admitted = (n: number): ConferenceEvent => ({
  type: 'ConferenceParticipantAdmitted',
  data: { conferenceId: CONF, conferencecallId: CC[n], callId: CALL[n], at: at(10 + n) },
});
const removed = (n: number): ConferenceEvent => ({
  type: 'ConferenceParticipantRemoved',
  data: { conferenceId: CONF, conferencecallId: CC[n], callId: CALL[n], at: at(20 + n) },
});
const terminationStarted: ConferenceEvent = {
  type: 'ConferenceTerminationStarted',
  data: { conferenceId: CONF, reason: 'stopped', conferencecallIds: [CC[1]], at: at(30) },
};
const terminated: ConferenceEvent = {
  type: 'ConferenceTerminated',
  data: { conferenceId: CONF, reason: 'stopped', at: at(31) },
};

const REC = '00000000-0000-7000-8000-0000000000a1';
const recordingStarted: ConferenceEvent = {
  type: 'ConferenceRecordingStarted',
  data: { conferenceId: CONF, recordingId: REC, format: 'wav', at: at(13) },
};
const recordingStopped: ConferenceEvent = {
  type: 'ConferenceRecordingStopped',
  data: { conferenceId: CONF, recordingId: REC, reason: 'requested', at: at(14) },
};

/** A whole life: every event type of the conference stream. */
const LIFE: ConferenceEvent[] = [
  created(),
  updated,
  admitted(0),
  admitted(1),
  admitted(2),
  recordingStarted,
  recordingStopped,
  removed(0),
  terminationStarted,
  removed(2),
  removed(1),
  terminated,
];

describe('conferences projection', () => {
  let readModels: ReadModelDatabase;
  let log: FakeLog;
  let under: ReturnType<typeof projectionUnderTest<'conferences' | 'participants'>>;
  let queries: ConferencesQueries;

  beforeEach(() => {
    readModels = new ReadModelDatabase(':memory:');
    log = new FakeLog();
    under = projectionUnderTest(conferencesProjection, readModels);
    queries = new ConferencesQueries(under.engine, readModels);
  });
  afterEach(() => readModels.close());

  const apply = (events: RecordedEvent[]) => {
    for (const event of events) under.handler.handle(event);
  };

  it.each(LIFE.map((event, index) => [event.type, index] as const))(
    'after %s (event %#) the read model shows what the aggregate state shows',
    (_type, index) => {
      const events = LIFE.slice(0, index + 1);
      apply(log.append(conferenceStreamId(CONF), ...events));
      const state = events.reduce<ConferenceState>(evolveConference, null)!;
      expect(queries.conference(CUSTOMER, CONF)).toEqual(conferenceViewOf(state, BigInt(index)));
    },
  );

  it('keeps participants in admission order with their count', () => {
    apply(log.append(conferenceStreamId(CONF), created(), admitted(2), admitted(0), admitted(1), removed(0)));
    const view = queries.conference(CUSTOMER, CONF)!;
    expect(view.conferencecall_ids).toEqual([CC[2], CC[1]]);
    expect(view.participant_count).toBe(2);
  });

  it('changes nothing when every event is applied twice in a row', () => {
    const recorded = log.append(conferenceStreamId(CONF), ...LIFE);
    for (let i = 0; i < recorded.length; i++) {
      under.handler.handle(recorded[i]);
      const once = dump(readModels, under.tables);
      under.handler.handle(recorded[i]);
      expect(dump(readModels, under.tables)).toEqual(once);
    }
  });

  it('changes nothing when the whole stream is replayed, nor when an older event comes late', () => {
    const recorded = log.append(conferenceStreamId(CONF), ...LIFE.slice(0, 5));
    apply(recorded);
    const once = dump(readModels, under.tables);
    apply(recorded);
    under.handler.handle(recorded[2]); // admitted(0) again, after admitted(2)
    expect(dump(readModels, under.tables)).toEqual(once);
    expect(queries.conference(CUSTOMER, CONF)!.participant_count).toBe(3);
  });

  it('answers null for another tenant, and ignores other streams and types', () => {
    apply(log.append(conferenceStreamId(CONF), created()));
    apply(log.append('conferencecall-x', admitted(0)));
    apply(log.append(conferenceStreamId(CONF), { type: 'SomethingElse', data: {} }));
    expect(queries.conference(OTHER_CUSTOMER, CONF)).toBeNull();
    expect(queries.conference(CUSTOMER, CONF)!.participant_count).toBe(0);
    expect(queries.conference(CUSTOMER, CONF)!.revision).toBe('0');
  });

  describe('listing', () => {
    const ids = [1, 2, 3, 4, 5].map((n) => `00000000-0000-7000-8000-0000000000a${n}`);
    beforeEach(() => {
      ids.forEach((id, n) => {
        apply(log.append(conferenceStreamId(id), created(id, CUSTOMER, n % 2))); // two share a tm_create
      });
      apply(
        log.append(conferenceStreamId(ids[0]), {
          ...terminated,
          data: { ...terminated.data, conferenceId: ids[0] },
        }),
      );
      apply(
        log.append(
          conferenceStreamId('00000000-0000-7000-8000-0000000000b1'),
          created('00000000-0000-7000-8000-0000000000b1', OTHER_CUSTOMER),
        ),
      );
    });

    it('pages newest first with an opaque token, never repeating or skipping a row', () => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = queries.conferences(CUSTOMER, { pageSize: 2, pageToken: token });
        expect(page.result.length).toBeLessThanOrEqual(2);
        seen.push(...page.result.map((c) => c.id));
        token = page.next_page_token ?? undefined;
      } while (token);
      // tm_create DESC (ids 2 and 4 were created at T0+1s), then id DESC.
      expect(seen).toEqual([ids[3], ids[1], ids[4], ids[2], ids[0]]);
    });

    it('says null when there is no next page', () => {
      expect(queries.conferences(CUSTOMER, { pageSize: 5 }).next_page_token).toBeNull();
      expect(queries.conferences(CUSTOMER, { pageSize: 4 }).next_page_token).toEqual(expect.any(String));
    });

    it('filters by status and type, within the tenant', () => {
      const terminatedOnes = queries.conferences(CUSTOMER, { pageSize: 10, status: 'terminated' });
      expect(terminatedOnes.result.map((c) => c.id)).toEqual([ids[0]]);
      expect(queries.conferences(CUSTOMER, { pageSize: 10, status: 'progressing' }).result).toHaveLength(4);
      expect(queries.conferences(CUSTOMER, { pageSize: 10, type: 'connect' }).result).toHaveLength(0);
      expect(queries.conferences(OTHER_CUSTOMER, { pageSize: 10 }).result).toHaveLength(1);
    });

    it('refuses a token it did not issue, naming page_token', () => {
      expect(() => queries.conferences(CUSTOMER, { pageSize: 2, pageToken: 'bogus' })).toThrow(
        expect.objectContaining({ fieldErrors: [expect.objectContaining({ field: 'page_token' })] }),
      );
    });
  });
});
