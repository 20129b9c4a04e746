import type { CallCreated, CallEvent, InboundFacts } from '../../src/calls/call';
import { type CallCommand, callDecider } from '../../src/calls/call.decider';
import { dueTimers } from '../../src/calls/call-timers';
import { ANSWERED_SIGNAL_ID, RECEIVED_SIGNAL_ID } from '../../src/calls/inbound-call';
import { fold } from '../../src/domain/decider';
import { spec } from '../support/decider-spec';
import {
  asCustomer,
  CALL_ID,
  CUSTOMER,
  expire,
  hangup,
  hangupRequested,
  historyIn,
  OTHER_CUSTOMER,
  signal,
  T_ANSWER,
  T_HANGUP_REQ,
  T0,
} from './call-fixtures';

/** The call decider's inbound part: a call received through a number, answered, rejected or rung out. */
const NUMBER_ID = '00000000-0000-7000-8000-00000000aaaa';
const inbound: InboundFacts = {
  numberId: NUMBER_ID,
  phoneNumber: '+31850835037',
  onIncoming: 'ring',
  conferenceId: null,
  actions: [],
};

const receive = (
  over: Partial<Extract<CallCommand, { type: 'ReceiveInboundCall' }>['data']> = {},
): CallCommand => ({
  type: 'ReceiveInboundCall',
  data: {
    callId: CALL_ID,
    customerId: CUSTOMER,
    from: '+821021656521',
    ringTimeoutSec: 20,
    at: T0,
    ...inbound,
    ...over,
  },
});
const answer = (at = T_ANSWER): CallCommand => ({
  type: 'AnswerCall',
  data: { callId: CALL_ID, customerId: CUSTOMER, at },
});

const received: CallCreated = {
  type: 'CallCreated',
  data: {
    callId: CALL_ID,
    customerId: CUSTOMER,
    type: 'voice',
    direction: 'incoming',
    source: { type: 'tel', target: '+821021656521', targetName: '', name: '', detail: '' },
    destination: { type: 'tel', target: '+31850835037', targetName: '', name: '', detail: '' },
    contactId: null,
    userId: null,
    agentId: null,
    phoneId: inbound.numberId,
    masterCallId: null,
    metadata: {},
    dialTimeoutSec: 20,
    maxDurationSec: 3600,
    at: T0,
    inbound,
  },
};
const ringingEvent: CallEvent = {
  type: 'CallRinging',
  data: { callId: CALL_ID, signalId: RECEIVED_SIGNAL_ID, at: T0 },
};
const answeredEvent: CallEvent = {
  type: 'CallAnswered',
  data: { callId: CALL_ID, signalId: ANSWERED_SIGNAL_ID, at: T_ANSWER },
};
const ringing = [received, ringingEvent];

describe('call decider: inbound calls', () => {
  const call = spec(callDecider);

  it('receives a call born ringing, with the number on it', () => {
    call.given([]).when(receive()).then(ringing);
    const state = fold(callDecider, ringing);
    expect(state).toMatchObject({ status: 'ringing', direction: 'incoming', inbound, dialTimeoutSec: 20 });
  });

  it('absorbs the same report again and refuses a taken id otherwise, for every tenant alike', () => {
    call
      .given(ringing)
      .when(receive({ at: T_ANSWER }))
      .thenNothing();
    call
      .given(ringing)
      .when(receive({ from: '+4930123456' }))
      .thenRejects('call.already_exists');
    call.given(ringing).when(asCustomer(OTHER_CUSTOMER, receive())).thenRejects('call.already_exists');
    call.given(historyIn.dialing).when(receive()).thenRejects('call.already_exists');
  });

  it('answers a ringing incoming call once; again is a no-op', () => {
    call.given(ringing).when(answer()).then([answeredEvent]);
    call
      .given([...ringing, answeredEvent])
      .when(answer())
      .thenNothing();
  });

  it('refuses to answer an outgoing call, an ending one, an ended one, or another tenant’s', () => {
    call.given(historyIn.ringing).when(answer()).thenRejects('call.not_inbound');
    call
      .given([...ringing, hangupRequested('canceling', 'busy')])
      .when(answer())
      .thenRejects('call.not_ringing', { status: 'canceling' });
    call.given(ringing).when(asCustomer(OTHER_CUSTOMER, answer())).thenRejects('call.not_found');
  });

  it('rejects: a hangup while ringing is busy (an outgoing call is still a cancel)', () => {
    call
      .given(ringing)
      .when(hangup())
      .then([hangupRequested('canceling', 'busy')]);
    call
      .given(historyIn.ringing)
      .when(hangup())
      .then([hangupRequested('canceling', 'cancel')]);
    call
      .given([...ringing, answeredEvent])
      .when(hangup())
      .then([hangupRequested('terminating', 'normal')]);
  });

  it('rings out after the ring timeout with noanswer (an outgoing call is still a dialout)', () => {
    expect(dueTimers(fold(callDecider, ringing))).toEqual([
      { kind: 'dial_timeout', dueAt: '2026-01-01T00:00:20.000Z' },
    ]);
    call.given(ringing).when(expire('ExpireDialTimeout', '2026-01-01T00:00:19.999Z')).thenNothing();
    call
      .given(ringing)
      .when(expire('ExpireDialTimeout', '2026-01-01T00:00:20.000Z'))
      .then([
        {
          type: 'CallHangupRequested',
          data: {
            callId: CALL_ID,
            status: 'canceling',
            hangupReason: 'noanswer',
            endTime: null,
            at: '2026-01-01T00:00:20.000Z',
          },
        },
      ]);
    call
      .given([...ringing, answeredEvent])
      .when(expire('ExpireDialTimeout'))
      .thenNothing();
  });

  it('the caller hanging up before the answer is a remote cancel', () => {
    const state = fold(callDecider, ringing);
    const [event] = callDecider.decide(signal('hangup', { at: T_HANGUP_REQ }), state);
    expect(event).toMatchObject({ type: 'CallHungUp', data: { hangupBy: 'remote', hangupReason: 'cancel' } });
  });

  it('an old folded state without the inbound field is an ordinary call', () => {
    const { inbound: _none, ...old } = fold(callDecider, historyIn.ringing) as unknown as Record<
      string,
      unknown
    >;
    expect(() => callDecider.decide(answer(), old as never)).toThrow(/not received through a number/);
  });
});
