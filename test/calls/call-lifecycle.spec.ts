import { type Call, type CallEvent, isCall } from '../../src/calls/call';
import { callDecider } from '../../src/calls/call.decider';
import { INITIAL_CONTROL } from '../../src/calls/call-control';
import { fold } from '../../src/domain/decider';
import { spec } from '../support/decider-spec';
import {
  agent,
  answered,
  asCustomer,
  CALL_ID,
  CUSTOMER,
  created,
  hangup,
  hangupRequested,
  historyIn,
  hungUp,
  makeCall,
  OTHER_CUSTOMER,
  rang,
  signal,
  T_ANSWER,
  T_END,
  T_HANGUP_REQ,
  T0,
} from './call-fixtures';

const stateOf = (events: CallEvent[]): Call => {
  const state = fold(callDecider, events);
  if (!isCall(state)) throw new Error('expected a call');
  return state;
};

describe('MakeCall', () => {
  it("seed 000's body (contact_id + type) creates a voice call to that user, with the defaults", () => {
    spec(callDecider).given([]).when(makeCall()).then([created()]);
  });

  it('records VoIPBIN addresses, user, master, metadata and timeouts as given, filling empty texts', () => {
    spec(callDecider)
      .given([])
      .when(
        makeCall({
          contactId: null,
          type: 'video',
          direction: 'incoming',
          source: { type: 'tel', target: '+821028286521' },
          destination: {
            type: 'sip',
            target: 'bob@example.com',
            targetName: 'Bob',
            name: 'desk',
            detail: 'd',
          },
          userId: 'siap3943',
          masterCallId: 'master-1',
          metadata: { campaign: 'spring', tags: ['a'] },
          dialTimeoutSec: 20,
          maxDurationSec: 600,
        }),
      )
      .then([
        created({
          type: 'video',
          direction: 'incoming',
          source: { type: 'tel', target: '+821028286521', targetName: '', name: '', detail: '' },
          destination: {
            type: 'sip',
            target: 'bob@example.com',
            targetName: 'Bob',
            name: 'desk',
            detail: 'd',
          },
          contactId: null,
          userId: 'siap3943',
          masterCallId: 'master-1',
          metadata: { campaign: 'spring', tags: ['a'] },
          dialTimeoutSec: 20,
          maxDurationSec: 600,
        }),
      ]);
  });

  it('without a source, the calling user is the source', () => {
    spec(callDecider)
      .given([])
      .when(makeCall({ userId: 'siap3943' }))
      .then([created({ userId: 'siap3943', source: agent('siap3943') })]);
  });

  it('an explicit destination wins over contact_id, which is still recorded', () => {
    spec(callDecider)
      .given([])
      .when(makeCall({ destination: { type: 'tel', target: '+15005550006' } }))
      .then([
        created({
          destination: { type: 'tel', target: '+15005550006', targetName: '', name: '', detail: '' },
        }),
      ]);
  });

  it('is refused without a destination or a contact_id', () => {
    spec(callDecider)
      .given([])
      .when(makeCall({ contactId: null }))
      .thenRejects('call.destination_required', { field: 'destination' });
  });

  it.each([
    ['dialTimeoutSec', 0],
    ['dialTimeoutSec', 1.5],
    ['maxDurationSec', -1],
    ['maxDurationSec', Number.NaN],
  ])('is refused with %s = %s', (field, value) => {
    spec(callDecider)
      .given([])
      .when(makeCall({ [field]: value }))
      .thenRejects('call.invalid_timeout');
  });

  it('is refused when the call names itself as its master', () => {
    spec(callDecider)
      .given([])
      .when(makeCall({ masterCallId: CALL_ID }))
      .thenRejects('call.invalid_master');
  });

  it('the same request again, later and with another key order, is a no-op (client-chosen id retry)', () => {
    const first = makeCall({ metadata: { a: 1, b: { c: 2, d: 3 } } });
    const retry = makeCall({ metadata: { b: { d: 3, c: 2 }, a: 1 }, at: T_END });
    const history = callDecider.decide(first, callDecider.initialState);
    spec(callDecider).given(history).when(retry).thenNothing();
  });

  it('the same request again after the call ended is still a no-op', () => {
    spec(callDecider)
      .given(historyIn.hangup)
      .when(makeCall({ at: T_END }))
      .thenNothing();
  });

  it('another request with a taken id is call.already_exists, naming no status', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(makeCall({ userId: 'someone' }))
      .thenRejects('call.already_exists');
    expect(() =>
      callDecider.decide(makeCall({ userId: 'someone' }), fold(callDecider, historyIn.progressing)),
    ).toThrow(expect.objectContaining({ details: {} }));
  });

  it("the identical request from another tenant is call.already_exists, never the other tenant's call", () => {
    spec(callDecider)
      .given(historyIn.dialing)
      .when(asCustomer(OTHER_CUSTOMER, makeCall()))
      .thenRejects('call.already_exists');
  });

  it('a new call is dialing, started at creation, with empty views of what has not happened yet', () => {
    expect(stateOf([created()])).toEqual({
      id: CALL_ID,
      customerId: CUSTOMER,
      status: 'dialing',
      type: 'voice',
      direction: 'outgoing',
      source: null,
      destination: agent('jj084'),
      contactId: 'jj084',
      userId: null,
      masterCallId: null,
      chainedCallIds: [],
      metadata: {},
      recordingId: null,
      recordingIds: [],
      hangupBy: null,
      hangupReason: null,
      rawCause: null,
      tmCreate: T0,
      tmRinging: null,
      tmProgressing: null,
      tmHangupRequested: null,
      tmHangup: null,
      tmUpdate: T0,
      startTime: T0,
      endTime: null,
      requestedEndTime: null,
      durationSec: null,
      conference: null,
      appliedSignals: {},
      dialTimeoutSec: 60,
      maxDurationSec: 3600,
      control: INITIAL_CONTROL,
      inbound: null, // inbound calls (numbers): a made call came through no number
      agentId: null,
      phoneId: null,
    });
  });
});

describe('HangupCall (local)', () => {
  it.each([
    ['dialing', historyIn.dialing],
    ['ringing', historyIn.ringing],
  ] as const)('before the answer (%s) it cancels: canceling, reason cancel', (_, history) => {
    spec(callDecider)
      .given(history)
      .when(hangup())
      .then([hangupRequested('canceling', 'cancel')]);
  });

  it('after the answer it terminates: terminating, reason normal, hangup_by local', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(hangup())
      .then([hangupRequested('terminating', 'normal')]);
    const state = stateOf([...historyIn.progressing, hangupRequested('terminating', 'normal')]);
    expect(state).toMatchObject({
      status: 'terminating',
      hangupBy: 'local',
      hangupReason: 'normal',
      tmHangupRequested: T_HANGUP_REQ,
      tmHangup: null,
      endTime: null,
      durationSec: null,
    });
  });

  it.each([
    ['terminating', historyIn.terminating],
    ['canceling', historyIn.canceling],
    ['hangup', historyIn.hangup],
  ] as const)('a second hangup while %s changes nothing', (_, history) => {
    spec(callDecider).given(history).when(hangup(T_END)).thenNothing();
  });

  it("keeps seed 000's end_time, normalised to ISO-8601 with milliseconds", () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(hangup(T_HANGUP_REQ, '2026-01-01T00:00:20Z'))
      .then([hangupRequested('terminating', 'normal', T_HANGUP_REQ, '2026-01-01T00:00:20.000Z')]);
  });

  it('accepts an end_time equal to the start or to now', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(hangup(T_HANGUP_REQ, T0))
      .then([hangupRequested('terminating', 'normal', T_HANGUP_REQ, T0)]);
    spec(callDecider)
      .given(historyIn.progressing)
      .when(hangup(T_HANGUP_REQ, T_HANGUP_REQ))
      .then([hangupRequested('terminating', 'normal', T_HANGUP_REQ, T_HANGUP_REQ)]);
  });

  it('refuses an end_time before the start (422 naming the field and the start)', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(hangup(T_HANGUP_REQ, '2025-12-31T23:59:59.999Z'))
      .thenRejects('call.invalid_end_time', { field: 'end_time', startTime: T0 });
  });

  it('refuses an end_time in the future of the request', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(hangup(T_HANGUP_REQ, '2026-01-01T00:00:30.001Z'))
      .thenRejects('call.invalid_end_time', { field: 'end_time' });
  });

  it('refuses an end_time that is not a timestamp', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(hangup(T_HANGUP_REQ, 'yesterday'))
      .thenRejects('call.invalid_end_time', { field: 'end_time' });
  });

  it('refuses a bad end_time even when the hangup itself would be a no-op', () => {
    spec(callDecider)
      .given(historyIn.hangup)
      .when(hangup(T_END, '2099-01-01T00:00:00.000Z'))
      .thenRejects('call.invalid_end_time');
  });

  it("the media layer's confirmation completes it; end_time and duration follow the client's end_time", () => {
    const history = [
      ...historyIn.progressing,
      hangupRequested('terminating', 'normal', T_HANGUP_REQ, '2026-01-01T00:00:20.000Z'),
    ];
    spec(callDecider)
      .given(history)
      .when(signal('hangup', { signalId: 'sig-bye', cause: 'NORMAL_CLEARING' }))
      .then([
        hungUp({
          hangupBy: 'local',
          signalId: 'sig-bye',
          endTime: '2026-01-01T00:00:20.000Z',
          durationSec: 15, // answered at 00:05, ended at 00:20 by the client's word
        }),
      ]);
  });

  it('a hung-up call shows hangup_by, reason, times and duration (seeds 000, 001, 003)', () => {
    const state = stateOf([created(), rang(), answered(), hungUp()]);
    expect(state).toMatchObject({
      status: 'hangup',
      hangupBy: 'remote',
      hangupReason: 'normal',
      rawCause: 'NORMAL_CLEARING',
      startTime: T0,
      tmProgressing: T_ANSWER,
      tmHangup: T_END,
      tmUpdate: T_END,
      endTime: T_END,
      durationSec: 30,
    });
  });
});
