import {
  type ConferencecallEvent,
  type ConferencecallStatus,
  conferencecallIdFromStream,
  conferencecallStreamId,
} from '../../src/conferences/conferencecall';
import {
  type ConferencecallCommand,
  conferencecallDecider,
  type StartJoining,
} from '../../src/conferences/conferencecall.decider';
import { fold } from '../../src/domain/decider';
import { spec } from '../support/decider-spec';

const CUSTOMER = '00000000-0000-7000-8000-00000000c001';
const OTHER_CUSTOMER = '00000000-0000-7000-8000-00000000c002';
const CC = '00000000-0000-7000-8000-0000cc000001';
const CONF = '00000000-0000-7000-8000-0000000000f1';
const OTHER_CONF = '00000000-0000-7000-8000-0000000000f2';
const CALL = '00000000-0000-7000-8000-0000ca000001';
const T0 = '2026-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

// ---- events
const ref = (seconds: number) => ({
  conferencecallId: CC,
  conferenceId: CONF,
  referenceId: CALL,
  at: at(seconds),
});
const started: ConferencecallEvent = {
  type: 'ConferencecallJoinStarted',
  data: { ...ref(0), customerId: CUSTOMER, referenceType: 'call' },
};
const joined = (s: number): ConferencecallEvent => ({ type: 'ConferencecallJoined', data: ref(s) });
const kicked = (s: number): ConferencecallEvent => ({ type: 'ConferencecallKicked', data: ref(s) });
const left = (s: number): ConferencecallEvent => ({ type: 'ConferencecallLeft', data: ref(s) });
const aborted = (s: number, reason = 'conference.full'): ConferencecallEvent => ({
  type: 'ConferencecallJoinAborted',
  data: { ...ref(s), reason },
});

// ---- commands
const cref = (seconds: number, customerId = CUSTOMER) => ({
  conferencecallId: CC,
  customerId,
  at: at(seconds),
});
const startJoining = (over: Partial<StartJoining['data']> = {}): ConferencecallCommand => ({
  type: 'StartJoining',
  data: { ...cref(0), conferenceId: CONF, referenceType: 'call', referenceId: CALL, ...over },
});
const confirmJoined = (s: number, customerId?: string): ConferencecallCommand => ({
  type: 'ConfirmJoined',
  data: cref(s, customerId),
});
const kick = (s: number, customerId?: string): ConferencecallCommand => ({
  type: 'Kick',
  data: cref(s, customerId),
});
const confirmLeft = (s: number, customerId?: string): ConferencecallCommand => ({
  type: 'ConfirmLeft',
  data: cref(s, customerId),
});
const abortJoin = (s: number, customerId?: string, reason = 'conference.full'): ConferencecallCommand => ({
  type: 'AbortJoin',
  data: { ...cref(s, customerId), reason },
});

const stateOf = (history: readonly ConferencecallEvent[]) => fold(conferencecallDecider, history);

describe('conferencecall decider', () => {
  describe('StartJoining', () => {
    it('starts joining', () => {
      spec(conferencecallDecider).given([]).when(startJoining()).then([started]);
    });

    it('folds into the seed fields', () => {
      expect(stateOf([started])).toEqual({
        id: CC,
        customerId: CUSTOMER,
        conferenceId: CONF,
        referenceType: 'call',
        referenceId: CALL,
        status: 'joining',
        tmCreate: T0,
        tmUpdate: T0,
        tmDelete: null,
      });
    });

    it('decides nothing when the join process retries the same step, whatever happened since', () => {
      for (const history of [[started], [started, joined(2)], [started, aborted(1)]])
        spec(conferencecallDecider).given(history).when(startJoining()).thenNothing();
    });

    it.each([
      ['another conference', { conferenceId: OTHER_CONF }],
      ['another call', { referenceId: '00000000-0000-7000-8000-0000ca000002' }],
      ['another tenant', { customerId: OTHER_CUSTOMER }],
    ])('refuses a reused id for %s', (_name, over) => {
      spec(conferencecallDecider)
        .given([started, joined(2)])
        .when(startJoining(over))
        .thenRejects('conferencecall.already_exists', { status: 'joined' });
    });
  });

  describe('media confirmations', () => {
    it('joined after joining', () => {
      spec(conferencecallDecider)
        .given([started])
        .when(confirmJoined(2))
        .then([joined(2)]);
    });

    it('ignores a repeated joined', () => {
      spec(conferencecallDecider)
        .given([started, joined(2)])
        .when(confirmJoined(3))
        .thenNothing();
    });

    it('ignores a late joined after leaved: it never moves back', () => {
      const history = [started, joined(2), kicked(3), left(4)];
      spec(conferencecallDecider).given(history).when(confirmJoined(5)).thenNothing();
      expect(stateOf(history)?.status).toBe('leaved');
    });

    it('ignores a late joined after a kick during joining', () => {
      spec(conferencecallDecider)
        .given([started, kicked(1)])
        .when(confirmJoined(2))
        .thenNothing();
    });

    it('left after a kick', () => {
      spec(conferencecallDecider)
        .given([started, joined(2), kicked(3)])
        .when(confirmLeft(4))
        .then([left(4)]);
    });

    it('left on its own from joined or joining (call dropped, or the call hung up)', () => {
      spec(conferencecallDecider)
        .given([started, joined(2)])
        .when(confirmLeft(4))
        .then([left(4)]);
      spec(conferencecallDecider)
        .given([started])
        .when(confirmLeft(4))
        .then([left(4)]);
    });

    it('ignores a repeated or late left', () => {
      spec(conferencecallDecider)
        .given([started, joined(2), left(3)])
        .when(confirmLeft(4))
        .thenNothing();
      spec(conferencecallDecider)
        .given([started, aborted(1)])
        .when(confirmLeft(4))
        .thenNothing();
    });

    it('sets tm_delete when leaved', () => {
      expect(stateOf([started, joined(2), kicked(3), left(4)])).toMatchObject({
        status: 'leaved',
        tmUpdate: at(4),
        tmDelete: at(4),
      });
    });
  });

  describe('Kick', () => {
    it('moves joined to leaving', () => {
      spec(conferencecallDecider)
        .given([started, joined(2)])
        .when(kick(3))
        .then([kicked(3)]);
    });

    it('cancels a join in progress (joining → leaving)', () => {
      spec(conferencecallDecider)
        .given([started])
        .when(kick(1))
        .then([kicked(1)]);
      expect(stateOf([started, kicked(1)])?.status).toBe('leaving');
    });

    it('is a no-op once leaving or leaved', () => {
      spec(conferencecallDecider)
        .given([started, joined(2), kicked(3)])
        .when(kick(4))
        .thenNothing();
      spec(conferencecallDecider)
        .given([started, joined(2), kicked(3), left(4)])
        .when(kick(5))
        .thenNothing();
    });
  });

  describe('AbortJoin', () => {
    it('ends a join that was refused, with the rule as reason', () => {
      spec(conferencecallDecider)
        .given([started])
        .when(abortJoin(1, CUSTOMER, 'call.already_in_conference'))
        .then([aborted(1, 'call.already_in_conference')]);
      expect(stateOf([started, aborted(1)])).toMatchObject({ status: 'leaved', tmDelete: at(1) });
    });

    it('ends a join kicked while joining and then refused: the gateway never joined it', () => {
      spec(conferencecallDecider)
        .given([started, kicked(1)])
        .when(abortJoin(2))
        .then([aborted(2)]);
    });

    it('refuses to abort a joined participant, which must leave through a kick', () => {
      spec(conferencecallDecider)
        .given([started, joined(2)])
        .when(abortJoin(3))
        .thenRejects('conferencecall.already_joined', { status: 'joined' });
    });

    it('is a no-op once leaved', () => {
      spec(conferencecallDecider)
        .given([started, aborted(1)])
        .when(abortJoin(2))
        .thenNothing();
    });
  });

  describe('tenancy', () => {
    const commands: [string, ConferencecallCommand][] = [
      ['ConfirmJoined', confirmJoined(2, OTHER_CUSTOMER)],
      ['Kick', kick(2, OTHER_CUSTOMER)],
      ['ConfirmLeft', confirmLeft(2, OTHER_CUSTOMER)],
      ['AbortJoin', abortJoin(2, OTHER_CUSTOMER)],
    ];

    it.each(commands)("%s on another tenant's participant looks unknown", (_name, command) => {
      spec(conferencecallDecider)
        .given([started])
        .when(command)
        .thenRejects('conferencecall.not_found', { conferencecallId: CC });
    });

    it.each(commands)('%s on an unknown participant is not found', (_name, command) => {
      spec(conferencecallDecider).given([]).when(command).thenRejects('conferencecall.not_found');
    });
  });

  it('streams are conferencecall-<id>', () => {
    expect(conferencecallStreamId(CC)).toBe(`conferencecall-${CC}`);
    expect(conferencecallIdFromStream(`conferencecall-${CC}`)).toBe(CC);
    expect(conferencecallIdFromStream(`conference-${CONF}`)).toBeNull();
  });
});

/**
 * Every command from every status (and every way of reaching it). `[type]` = decided event, `[]` = no-op,
 * `!code` = refused. Status never moves backwards: no row takes leaving/leaved back to joining/joined.
 */
describe('conferencecall transition matrix', () => {
  const histories: [string, ConferencecallStatus, ConferencecallEvent[]][] = [
    ['joining', 'joining', [started]],
    ['joined', 'joined', [started, joined(2)]],
    ['leaving (kicked while joined)', 'leaving', [started, joined(2), kicked(3)]],
    ['leaving (kicked while joining)', 'leaving', [started, kicked(3)]],
    ['leaved (left)', 'leaved', [started, joined(2), kicked(3), left(4)]],
    ['leaved (aborted)', 'leaved', [started, aborted(4)]],
  ];
  const commands: Record<string, ConferencecallCommand> = {
    StartJoining: startJoining(),
    ConfirmJoined: confirmJoined(9),
    Kick: kick(9),
    ConfirmLeft: confirmLeft(9),
    AbortJoin: abortJoin(9),
  };
  const expected: Record<ConferencecallStatus, Record<string, string[] | string>> = {
    joining: {
      StartJoining: [],
      ConfirmJoined: ['ConferencecallJoined'],
      Kick: ['ConferencecallKicked'],
      ConfirmLeft: ['ConferencecallLeft'],
      AbortJoin: ['ConferencecallJoinAborted'],
    },
    joined: {
      StartJoining: [],
      ConfirmJoined: [],
      Kick: ['ConferencecallKicked'],
      ConfirmLeft: ['ConferencecallLeft'],
      AbortJoin: '!conferencecall.already_joined',
    },
    leaving: {
      StartJoining: [],
      ConfirmJoined: [],
      Kick: [],
      ConfirmLeft: ['ConferencecallLeft'],
      AbortJoin: ['ConferencecallJoinAborted'],
    },
    leaved: { StartJoining: [], ConfirmJoined: [], Kick: [], ConfirmLeft: [], AbortJoin: [] },
  };
  const order: ConferencecallStatus[] = ['joining', 'joined', 'leaving', 'leaved'];
  const cases = histories.flatMap(([name, status, history]) =>
    Object.keys(commands).map(
      (command) => [name, command, expected[status][command], status, history] as const,
    ),
  );

  it.each(cases)('%s + %s → %p', (_name, command, outcome, status, history) => {
    expect(stateOf(history)?.status).toBe(status);
    if (typeof outcome === 'string') {
      spec(conferencecallDecider)
        .given(history)
        .when(commands[command])
        .thenRejects(outcome.slice(1), { status });
      return;
    }
    const events = conferencecallDecider.decide(commands[command], stateOf(history));
    expect(events.map((e) => e.type)).toEqual(outcome);
    // Every decided event names the conference and the call, for the sagas, and never moves backwards.
    for (const event of events) expect(event.data).toMatchObject(ref(9));
    const after = events.reduce(conferencecallDecider.evolve, stateOf(history));
    expect(order.indexOf(after!.status)).toBeGreaterThanOrEqual(order.indexOf(status));
  });
});
