import {
  type ConferenceAction,
  type ConferenceCreated,
  type ConferenceEndReason,
  type ConferenceEvent,
  dueConferenceTimers,
  evolveConference,
} from '../../src/conferences/conference';
import {
  type ConferenceCommand,
  type CreateConference,
  conferenceDecider,
  conferenceTimerCommand,
  type UpdateConference,
} from '../../src/conferences/conference.decider';
import { conferenceIdFromStream, conferenceStreamId } from '../../src/conferences/conference-stream';
import { fold } from '../../src/domain/decider';
import { DomainError } from '../../src/domain/domain-error';
import { spec } from '../support/decider-spec';

// Fixed ids and times. Participant n is conferencecall CC[n] for call CALL[n].
const CUSTOMER = '00000000-0000-7000-8000-00000000c001';
const OTHER_CUSTOMER = '00000000-0000-7000-8000-00000000c002';
const CONF = '00000000-0000-7000-8000-0000000000f1';
const CC = [0, 1, 2, 3, 4].map((n) => `00000000-0000-7000-8000-0000cc00000${n}`);
const CALL = [0, 1, 2, 3, 4].map((n) => `00000000-0000-7000-8000-0000ca00000${n}`);
const T0 = '2026-01-01T00:00:00.000Z';
/** T0 + seconds. */
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const TALK: ConferenceAction = {
  id: '00000000-0000-0000-0000-000000000000',
  next_id: '00000000-0000-0000-0000-000000000000',
  type: 'talk',
  option: { text: 'Hello. Welcome to the test conference.', gender: 'female', language: 'en-US' },
};

// ---- events
const created = (over: Partial<ConferenceCreated['data']> = {}): ConferenceCreated => ({
  type: 'ConferenceCreated',
  data: {
    conferenceId: CONF,
    customerId: CUSTOMER,
    conferenceType: 'conference',
    name: 'test conference',
    detail: '',
    data: {},
    timeout: 0,
    timeoutAt: null,
    maxParticipants: null,
    preActions: [],
    postActions: [],
    at: T0,
    ...over,
  },
});
const connectCreated = created({ conferenceType: 'connect' });
const admitted = (n: number, seconds = n, callId = CALL[n]): ConferenceEvent => ({
  type: 'ConferenceParticipantAdmitted',
  data: { conferenceId: CONF, conferencecallId: CC[n], callId, at: at(seconds) },
});
const removed = (n: number, seconds: number): ConferenceEvent => ({
  type: 'ConferenceParticipantRemoved',
  data: { conferenceId: CONF, conferencecallId: CC[n], callId: CALL[n], at: at(seconds) },
});
const updated = (
  seconds: number,
  fields: { name?: string; detail?: string; timeout?: number; maxParticipants?: number | null },
): ConferenceEvent => {
  const timeout = fields.timeout ?? 0;
  return {
    type: 'ConferenceUpdated',
    data: {
      conferenceId: CONF,
      name: fields.name ?? 'test conference',
      detail: fields.detail ?? '',
      timeout,
      timeoutAt: timeout === 0 ? null : at(timeout),
      maxParticipants: fields.maxParticipants ?? null,
      at: at(seconds),
    },
  };
};
const terminationStarted = (
  reason: ConferenceEndReason,
  ids: number[],
  seconds: number,
): ConferenceEvent => ({
  type: 'ConferenceTerminationStarted',
  data: { conferenceId: CONF, reason, conferencecallIds: ids.map((n) => CC[n]), at: at(seconds) },
});
const terminated = (reason: ConferenceEndReason, seconds: number): ConferenceEvent => ({
  type: 'ConferenceTerminated',
  data: { conferenceId: CONF, reason, at: at(seconds) },
});

// ---- commands
const ref = (seconds: number, customerId = CUSTOMER) => ({ conferenceId: CONF, customerId, at: at(seconds) });
const create = (over: Partial<CreateConference['data']> = {}): ConferenceCommand => ({
  type: 'CreateConference',
  data: { ...ref(0), conferenceType: 'conference', name: 'test conference', ...over },
});
const update = (seconds: number, fields: Partial<UpdateConference['data']>): ConferenceCommand => ({
  type: 'UpdateConference',
  data: { ...ref(seconds), ...fields },
});
const stop = (seconds: number, customerId?: string): ConferenceCommand => ({
  type: 'StopConference',
  data: ref(seconds, customerId),
});
const expire = (seconds: number, customerId?: string): ConferenceCommand => ({
  type: 'ExpireConferenceTimeout',
  data: ref(seconds, customerId),
});
const admit = (n: number, seconds: number, customerId?: string, callId = CALL[n]): ConferenceCommand => ({
  type: 'AdmitParticipant',
  data: { ...ref(seconds, customerId), conferencecallId: CC[n], callId },
});
const remove = (n: number, seconds: number, customerId?: string): ConferenceCommand => ({
  type: 'RemoveParticipant',
  data: { ...ref(seconds, customerId), conferencecallId: CC[n] },
});

const stateOf = (history: readonly ConferenceEvent[]) => fold(conferenceDecider, history);
const decide = (history: readonly ConferenceEvent[], command: ConferenceCommand) =>
  conferenceDecider.decide(command, stateOf(history));

// Histories for each reachable status.
const EMPTY = [created()];
const TWO_IN = [created(), admitted(1), admitted(2)];
const TERMINATING = [...TWO_IN, terminationStarted('stopped', [1, 2], 10)];
const TERMINATED = [created(), terminated('stopped', 10)];

describe('conference decider', () => {
  describe('CreateConference', () => {
    it('creates a progressing conference with defaults', () => {
      spec(conferenceDecider).given([]).when(create()).then([created()]);
    });

    it('stores type, data, limits and actions as given, and fixes the timeout from creation', () => {
      const command = create({
        conferenceType: 'connect',
        detail: 'test conference for example.',
        data: { topic: 'x' },
        timeout: 90,
        maxParticipants: 5,
        preActions: [TALK],
        postActions: [{ type: 'hangup' }],
      });
      spec(conferenceDecider)
        .given([])
        .when(command)
        .then([
          created({
            conferenceType: 'connect',
            detail: 'test conference for example.',
            data: { topic: 'x' },
            timeout: 90,
            timeoutAt: at(90),
            maxParticipants: 5,
            preActions: [TALK],
            postActions: [{ type: 'hangup' }],
          }),
        ]);
    });

    it('folds into the seed fields', () => {
      expect(stateOf([created({ timeout: 60, timeoutAt: at(60), preActions: [TALK] })])).toEqual({
        id: CONF,
        customerId: CUSTOMER,
        type: 'conference',
        status: 'progressing',
        name: 'test conference',
        detail: '',
        data: {},
        timeout: 60,
        timeoutAt: at(60),
        maxParticipants: null,
        preActions: [TALK],
        postActions: [],
        participants: [],
        peakParticipants: 0,
        recordingId: null,
        recordingIds: [],
        endReason: null,
        tmCreate: T0,
        tmUpdate: T0,
        tmDelete: null,
      });
    });

    it.each([[EMPTY], [TERMINATED]])('refuses an id that exists (%#)', (history) => {
      spec(conferenceDecider).given(history).when(create()).thenRejects('conference.already_exists');
    });

    it.each([-1, 1.5, Number.NaN])('refuses timeout %p', (timeout) => {
      spec(conferenceDecider).given([]).when(create({ timeout })).thenRejects('conference.invalid_timeout');
    });

    it.each([0, -3, 2.5])('refuses max_participants %p (null means unlimited)', (maxParticipants) => {
      spec(conferenceDecider)
        .given([])
        .when(create({ maxParticipants }))
        .thenRejects('conference.invalid_max_participants', { maxParticipants });
    });
  });

  describe('UpdateConference', () => {
    it('records every updatable field with its new value', () => {
      spec(conferenceDecider)
        .given(EMPTY)
        .when(update(5, { name: 'renamed', detail: 'd', maxParticipants: 3 }))
        .then([updated(5, { name: 'renamed', detail: 'd', maxParticipants: 3 })]);
    });

    it('keeps absent fields and lifts the limit with null', () => {
      spec(conferenceDecider)
        .given([created({ maxParticipants: 3, detail: 'keep' })])
        .when(update(5, { maxParticipants: null }))
        .then([updated(5, { detail: 'keep', maxParticipants: null })]);
    });

    it('decides nothing when nothing changes', () => {
      spec(conferenceDecider)
        .given(EMPTY)
        .when(update(5, { name: 'test conference', timeout: 0 }))
        .thenNothing();
    });

    it('may lower the limit below the current count: nobody is kicked, new joins are refused', () => {
      const history = [...TWO_IN, ...decide(TWO_IN, update(5, { maxParticipants: 1 }))];
      expect(stateOf(history)?.participants).toHaveLength(2);
      spec(conferenceDecider).given(history).when(admit(3, 6)).thenRejects('conference.full');
    });

    it.each([
      ['terminating', TERMINATING],
      ['terminated', TERMINATED],
    ])('is refused when %s, naming the status', (status, history) => {
      spec(conferenceDecider)
        .given(history)
        .when(update(20, { name: 'late' }))
        .thenRejects('conference.not_active', { status });
    });

    it('validates before anything else', () => {
      spec(conferenceDecider)
        .given(EMPTY)
        .when(update(5, { timeout: -5 }))
        .thenRejects('conference.invalid_timeout');
    });
  });

  describe('StopConference', () => {
    it('terminates an empty conference at once (never stuck in terminating)', () => {
      spec(conferenceDecider)
        .given(EMPTY)
        .when(stop(10))
        .then([terminated('stopped', 10)]);
    });

    it('starts terminating a conference with participants, listing whom to kick', () => {
      spec(conferenceDecider)
        .given(TWO_IN)
        .when(stop(10))
        .then([terminationStarted('stopped', [1, 2], 10)]);
    });

    it.each([[TERMINATING], [TERMINATED]])('is a no-op once ending (%#)', (history) => {
      spec(conferenceDecider).given(history).when(stop(20)).thenNothing();
    });

    it('sets end reason and tm_delete when terminated', () => {
      const state = stateOf([...TERMINATING, removed(1, 11), removed(2, 12), terminated('stopped', 12)]);
      expect(state).toMatchObject({
        status: 'terminated',
        endReason: 'stopped',
        participants: [],
        tmUpdate: at(12),
        tmDelete: at(12),
      });
    });
  });
});

describe('conference timeout', () => {
  const WITH_TIMEOUT = [created({ timeout: 60, timeoutAt: at(60) })];

  it('is one timer due at creation + timeout', () => {
    expect(dueConferenceTimers(stateOf(WITH_TIMEOUT))).toEqual([
      { kind: 'conference_timeout', dueAt: at(60) },
    ]);
  });

  it('has no timer without a timeout, before creation, or once ending', () => {
    expect(dueConferenceTimers(null)).toEqual([]);
    expect(dueConferenceTimers(stateOf(EMPTY))).toEqual([]);
    const ending = [...WITH_TIMEOUT, admitted(1), terminationStarted('stopped', [1], 10)];
    expect(dueConferenceTimers(stateOf(ending))).toEqual([]);
    expect(dueConferenceTimers(stateOf([...WITH_TIMEOUT, terminated('stopped', 10)]))).toEqual([]);
  });

  it('is replaced, not duplicated, by an update (still counted from creation)', () => {
    const history = [...WITH_TIMEOUT, ...decide(WITH_TIMEOUT, update(30, { timeout: 120 }))];
    expect(history.at(-1)).toEqual(updated(30, { timeout: 120 }));
    expect(dueConferenceTimers(stateOf(history))).toEqual([{ kind: 'conference_timeout', dueAt: at(120) }]);
  });

  it('is cancelled by timeout 0', () => {
    const history = [...WITH_TIMEOUT, ...decide(WITH_TIMEOUT, update(30, { timeout: 0 }))];
    expect(dueConferenceTimers(stateOf(history))).toEqual([]);
  });

  it('stops an empty conference with reason timeout when due', () => {
    spec(conferenceDecider)
      .given(WITH_TIMEOUT)
      .when(expire(60))
      .then([terminated('timeout', 60)]);
  });

  it('starts terminating a conference with participants when due (a late firing counts)', () => {
    spec(conferenceDecider)
      .given([...WITH_TIMEOUT, admitted(1)])
      .when(expire(61))
      .then([terminationStarted('timeout', [1], 61)]);
  });

  it('ignores a stale firing after the timeout was extended', () => {
    spec(conferenceDecider)
      .given([...WITH_TIMEOUT, updated(30, { timeout: 120 })])
      .when(expire(60))
      .thenNothing();
  });

  it('fires at the new, earlier due time after a shortening', () => {
    spec(conferenceDecider)
      .given([...WITH_TIMEOUT, updated(10, { timeout: 20 })])
      .when(expire(20))
      .then([terminated('timeout', 20)]);
  });

  it('ignores a firing after the timeout was cancelled, or before it is due', () => {
    spec(conferenceDecider)
      .given([...WITH_TIMEOUT, updated(30, { timeout: 0 })])
      .when(expire(60))
      .thenNothing();
    spec(conferenceDecider).given(WITH_TIMEOUT).when(expire(59)).thenNothing();
  });

  it('ignores a firing once the conference is ending or ended', () => {
    const stopped = [...WITH_TIMEOUT, admitted(1), terminationStarted('stopped', [1], 10)];
    spec(conferenceDecider).given(stopped).when(expire(60)).thenNothing();
    spec(conferenceDecider)
      .given([...WITH_TIMEOUT, terminated('stopped', 10)])
      .when(expire(60))
      .thenNothing();
  });

  it('keeps the end reason through termination', () => {
    const history = [...WITH_TIMEOUT, admitted(1), terminationStarted('timeout', [1], 60)];
    spec(conferenceDecider)
      .given(history)
      .when(remove(1, 62))
      .then([removed(1, 62), terminated('timeout', 62)]);
  });

  it('turns a due timer into its command', () => {
    const timer = dueConferenceTimers(stateOf(WITH_TIMEOUT))[0];
    expect(conferenceTimerCommand(timer, { id: CONF, customerId: CUSTOMER }, at(60))).toEqual(expire(60));
  });
});

describe('conference streams', () => {
  it('are conference-<id>, distinct from conferencecall-<id>', () => {
    expect(conferenceStreamId(CONF)).toBe(`conference-${CONF}`);
    expect(conferenceIdFromStream(`conference-${CONF}`)).toBe(CONF);
    expect(conferenceIdFromStream(`conferencecall-${CONF}`)).toBeNull();
  });
});

describe('conference participants', () => {
  describe('AdmitParticipant', () => {
    it('admits a call to a progressing conference', () => {
      spec(conferenceDecider)
        .given(EMPTY)
        .when(admit(1, 1))
        .then([admitted(1)]);
      expect(stateOf([...TWO_IN])?.participants).toEqual([
        { conferencecallId: CC[1], callId: CALL[1] },
        { conferencecallId: CC[2], callId: CALL[2] },
      ]);
    });

    it('decides nothing when the same admission is repeated', () => {
      spec(conferenceDecider).given(TWO_IN).when(admit(2, 5)).thenNothing();
    });

    it('refuses the same conferencecall id for another call', () => {
      spec(conferenceDecider)
        .given(TWO_IN)
        .when(admit(2, 5, CUSTOMER, CALL[3]))
        .thenRejects('conference.participant_conflict', { status: 'progressing', conferencecallId: CC[2] });
    });

    it('refuses a call that is already a participant here under another conferencecall', () => {
      spec(conferenceDecider)
        .given(TWO_IN)
        .when(admit(3, 5, CUSTOMER, CALL[1]))
        .thenRejects('conference.call_already_participant', {
          status: 'progressing',
          conferencecallId: CC[1],
        });
    });

    it.each([
      ['terminating', TERMINATING],
      ['terminated', TERMINATED],
    ])('refuses joins when %s, naming the status', (status, history) => {
      spec(conferenceDecider)
        .given(history)
        .when(admit(3, 20))
        .thenRejects('conference.not_accepting_joins', { status });
    });

    it('admits up to max_participants and refuses the next one', () => {
      const capped = [created({ maxParticipants: 2 })];
      spec(conferenceDecider)
        .given(capped)
        .when(admit(1, 1))
        .then([admitted(1)]);
      spec(conferenceDecider)
        .given([...capped, admitted(1)])
        .when(admit(2, 2))
        .then([admitted(2)]);
      spec(conferenceDecider)
        .given([...capped, admitted(1), admitted(2)])
        .when(admit(3, 3))
        .thenRejects('conference.full', { status: 'progressing', maxParticipants: 2, participants: 2 });
    });

    it('admits again once a participant has left a full conference', () => {
      const full = [created({ maxParticipants: 2 }), admitted(1), admitted(2), removed(1, 3)];
      spec(conferenceDecider)
        .given(full)
        .when(admit(3, 4))
        .then([admitted(3, 4)]);
    });

    it('lets the same call join again under a new conferencecall after leaving', () => {
      spec(conferenceDecider)
        .given([...TWO_IN, removed(1, 3)])
        .when(admit(3, 4, CUSTOMER, CALL[1]))
        .then([admitted(3, 4, CALL[1])]);
    });
  });

  describe('RemoveParticipant', () => {
    it('removes a participant; a conference-type conference stays open when emptied', () => {
      spec(conferenceDecider)
        .given(TWO_IN)
        .when(remove(1, 5))
        .then([removed(1, 5)]);
      spec(conferenceDecider)
        .given([...TWO_IN, removed(1, 5)])
        .when(remove(2, 6))
        .then([removed(2, 6)]);
    });

    it('decides nothing for an unknown or already removed participant (rolled back before admission)', () => {
      spec(conferenceDecider).given(TWO_IN).when(remove(3, 5)).thenNothing();
      spec(conferenceDecider)
        .given([...TWO_IN, removed(1, 5)])
        .when(remove(1, 6))
        .thenNothing();
      spec(conferenceDecider).given(TERMINATED).when(remove(1, 20)).thenNothing();
    });

    it('terminates a terminating conference when the last participant leaves, in the same decision', () => {
      spec(conferenceDecider)
        .given(TERMINATING)
        .when(remove(1, 11))
        .then([removed(1, 11)]);
      spec(conferenceDecider)
        .given([...TERMINATING, removed(1, 11)])
        .when(remove(2, 12))
        .then([removed(2, 12), terminated('stopped', 12)]);
    });

    it('keeps end reason and empties the list across the whole stop', () => {
      let history: ConferenceEvent[] = [...TWO_IN];
      for (const command of [stop(10), remove(2, 11), remove(1, 12)])
        history = [...history, ...decide(history, command)];
      expect(history.slice(TWO_IN.length)).toEqual([
        terminationStarted('stopped', [1, 2], 10),
        removed(2, 11),
        removed(1, 12),
        terminated('stopped', 12),
      ]);
      expect(stateOf(history)).toMatchObject({ status: 'terminated', participants: [], tmDelete: at(12) });
    });
  });

  describe('connect conferences', () => {
    it('end when fewer than two remain after having had two, kicking the one left', () => {
      const history = [connectCreated, admitted(1), admitted(2)];
      spec(conferenceDecider)
        .given(history)
        .when(remove(1, 5))
        .then([removed(1, 5), terminationStarted('last_participant_left', [2], 5)]);
      const ending = [...history, removed(1, 5), terminationStarted('last_participant_left', [2], 5)];
      spec(conferenceDecider)
        .given(ending)
        .when(remove(2, 6))
        .then([removed(2, 6), terminated('last_participant_left', 6)]);
    });

    it('wait for the second participant: the first one leaving alone ends nothing', () => {
      spec(conferenceDecider)
        .given([connectCreated, admitted(1)])
        .when(remove(1, 5))
        .then([removed(1, 5)]);
      expect(stateOf([connectCreated, admitted(1), removed(1, 5)])?.status).toBe('progressing');
    });

    it('keep going while two or more remain', () => {
      const three = [connectCreated, admitted(1), admitted(2), admitted(3)];
      spec(conferenceDecider)
        .given(three)
        .when(remove(3, 5))
        .then([removed(3, 5)]);
      spec(conferenceDecider)
        .given([...three, removed(3, 5)])
        .when(remove(1, 6))
        .then([removed(1, 6), terminationStarted('last_participant_left', [2], 6)]);
    });

    it('refuse joins once ending', () => {
      const after = [
        connectCreated,
        admitted(1),
        admitted(2),
        removed(1, 5),
        terminationStarted('last_participant_left', [2], 5),
      ];
      spec(conferenceDecider)
        .given(after)
        .when(admit(3, 6))
        .thenRejects('conference.not_accepting_joins', { status: 'terminating' });
    });
  });
});

describe('conference tenancy', () => {
  const foreign: [string, ConferenceCommand][] = [
    ['UpdateConference', update(5, { name: 'x', customerId: OTHER_CUSTOMER })],
    ['StopConference', stop(5, OTHER_CUSTOMER)],
    ['ExpireConferenceTimeout', expire(5, OTHER_CUSTOMER)],
    ['AdmitParticipant', admit(3, 5, OTHER_CUSTOMER)],
    ['RemoveParticipant', remove(1, 5, OTHER_CUSTOMER)],
  ];

  it.each(foreign)("%s on another tenant's conference looks unknown", (_name, command) => {
    spec(conferenceDecider)
      .given(TWO_IN)
      .when(command)
      .thenRejects('conference.not_found', { conferenceId: CONF });
  });

  it.each(foreign)('%s on an unknown conference is not found', (_name, command) => {
    spec(conferenceDecider).given([]).when(command).thenRejects('conference.not_found');
  });
});

/**
 * Every command against every reachable status. `[types]` = the event types decided, `!code` = refused.
 * Exact event contents are pinned by the tests above; this table pins the transition rules as a whole.
 */
describe('conference transition matrix', () => {
  const statuses: Record<string, ConferenceEvent[]> = {
    'progressing, empty': [created({ timeout: 10, timeoutAt: at(10) })],
    'progressing, two in': [created({ timeout: 10, timeoutAt: at(10) }), admitted(1), admitted(2)],
    terminating: [
      created({ timeout: 10, timeoutAt: at(10) }),
      admitted(1),
      admitted(2),
      terminationStarted('stopped', [1, 2], 5),
    ],
    terminated: [created({ timeout: 10, timeoutAt: at(10) }), terminated('stopped', 5)],
  };
  const commands: Record<string, ConferenceCommand> = {
    create: create(),
    update: update(20, { name: 'new' }),
    stop: stop(20),
    'expire (due)': expire(20),
    'admit new': admit(3, 20),
    'remove first': remove(1, 20),
  };
  const expected: Record<string, Record<string, string[] | string>> = {
    'progressing, empty': {
      create: '!conference.already_exists',
      update: ['ConferenceUpdated'],
      stop: ['ConferenceTerminated'],
      'expire (due)': ['ConferenceTerminated'],
      'admit new': ['ConferenceParticipantAdmitted'],
      'remove first': [],
    },
    'progressing, two in': {
      create: '!conference.already_exists',
      update: ['ConferenceUpdated'],
      stop: ['ConferenceTerminationStarted'],
      'expire (due)': ['ConferenceTerminationStarted'],
      'admit new': ['ConferenceParticipantAdmitted'],
      'remove first': ['ConferenceParticipantRemoved'],
    },
    terminating: {
      create: '!conference.already_exists',
      update: '!conference.not_active',
      stop: [],
      'expire (due)': [],
      'admit new': '!conference.not_accepting_joins',
      'remove first': ['ConferenceParticipantRemoved'],
    },
    terminated: {
      create: '!conference.already_exists',
      update: '!conference.not_active',
      stop: [],
      'expire (due)': [],
      'admit new': '!conference.not_accepting_joins',
      'remove first': [],
    },
  };
  const cases = Object.keys(statuses).flatMap((status) =>
    Object.keys(commands).map((command) => [status, command, expected[status][command]] as const),
  );

  it.each(cases)('%s + %s → %p', (status, command, outcome) => {
    const history = statuses[status];
    if (typeof outcome === 'string') {
      const { status: current } = stateOf(history)!;
      const details = outcome === '!conference.already_exists' ? undefined : { status: current };
      spec(conferenceDecider).given(history).when(commands[command]).thenRejects(outcome.slice(1), details);
    } else {
      expect(decide(history, commands[command]).map((e) => e.type)).toEqual(outcome);
    }
  });

  it('every decided event moves tm_update to the command time', () => {
    for (const history of Object.values(statuses)) {
      for (const command of Object.values(commands)) {
        let events: readonly ConferenceEvent[] = [];
        try {
          events = decide(history, command);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
        }
        if (events.length === 0) continue;
        expect(events.reduce(evolveConference, stateOf(history))?.tmUpdate).toBe(at(20));
      }
    }
  });
});
