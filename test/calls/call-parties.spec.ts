import { type Call, type CallEvent, isCall } from '../../src/calls/call';
import { callDecider } from '../../src/calls/call.decider';
import { contactOf, localPartyOf, phoneNumberOf, remotePartyOf } from '../../src/calls/call-parties';
import { callView } from '../../src/calls/call-view';
import { fold } from '../../src/domain/decider';
import { spec } from '../support/decider-spec';
import { agent, created, historyIn, hungUp, makeCall, T0 } from './call-fixtures';

const AGENT = '2b1e3b65-2c04-4fa2-a2d7-467901e98978';
const PHONE = '7f8a9b2c-3d4e-4f6a-8b8c-9d0e1f2a3b4c';
const tel = (target: string) => ({ type: 'tel' as const, target, targetName: '', name: '', detail: '' });

const stateOf = (events: CallEvent[]): Call => {
  const state = fold(callDecider, events);
  if (!isCall(state)) throw new Error('expected a call');
  return state;
};

describe('MakeCall with seed 001 parties (agent_id, phone_id)', () => {
  it('records the agent and the phone in CallCreated', () => {
    spec(callDecider)
      .given([])
      .when(makeCall({ agentId: AGENT, phoneId: PHONE }))
      .then([created({ agentId: AGENT, phoneId: PHONE })]);
  });

  it('records null for both when none is named', () => {
    spec(callDecider)
      .given([])
      .when(makeCall())
      .then([created({ agentId: null, phoneId: null })]);
  });

  it('a retry with the same parties is a no-op; another agent with the same id is call.already_exists', () => {
    const history = [created({ agentId: AGENT, phoneId: PHONE })];
    spec(callDecider)
      .given(history)
      .when(makeCall({ agentId: AGENT, phoneId: PHONE }))
      .thenNothing();
    spec(callDecider)
      .given(history)
      .when(makeCall({ agentId: PHONE, phoneId: PHONE }))
      .thenRejects('call.already_exists');
  });

  it('a CallCreated stored before the fields existed folds to null parties, and its retry is a no-op', () => {
    const { agentId: _a, phoneId: _p, ...old } = created().data;
    const oldCreated = { type: 'CallCreated', data: old } as unknown as CallEvent;
    expect(stateOf([oldCreated])).toMatchObject({ agentId: null, phoneId: null });
    spec(callDecider).given([oldCreated]).when(makeCall()).thenNothing();
  });
});

describe('call parties (contact, caller and assistant phones)', () => {
  it('an outgoing call: the destination is the contact and the caller, the source our phone', () => {
    const call = stateOf([created({ source: tel('+31850835037'), destination: tel('+31623731537') })]);
    expect(remotePartyOf(call)?.target).toBe('+31623731537');
    expect(localPartyOf(call)?.target).toBe('+31850835037');
    expect(contactOf(call)).toEqual({
      id: 'jj084',
      identifier: '+31623731537',
      contact_type: 'call',
      created_date: T0,
    });
    expect(callView(call, 0n)).toMatchObject({
      caller_phone: '+31623731537',
      assistant_phone: '+31850835037',
    });
  });

  it('an incoming call: the source is the contact; without a contact_id its address is its id', () => {
    const call = stateOf([
      created({
        direction: 'incoming',
        contactId: null,
        source: tel('+821028286521'),
        destination: tel('+821021656521'),
      }),
    ]);
    expect(contactOf(call)).toEqual({
      id: '+821028286521',
      identifier: '+821028286521',
      contact_type: 'call',
      created_date: T0,
    });
    expect(callView(call, 0n)).toMatchObject({
      caller_phone: '+821028286521',
      assistant_phone: '+821021656521',
    });
  });

  it('only tel addresses have phone numbers; an unknown source is an empty identifier', () => {
    expect(phoneNumberOf(agent('jj084'))).toBeNull();
    expect(phoneNumberOf(null)).toBeNull();
    const call = stateOf([created({ direction: 'incoming', contactId: null, source: null })]);
    expect(contactOf(call)).toMatchObject({ id: '', identifier: '' });
    expect(callView(call, 0n)).toMatchObject({ caller_phone: null, assistant_phone: null });
  });

  it('duration_seconds is the duration: null until the hangup, then the talk time', () => {
    expect(callView(stateOf(historyIn.progressing), 2n).duration_seconds).toBeNull();
    const ended = callView(stateOf([...historyIn.progressing, hungUp({ durationSec: 120 })]), 3n);
    expect(ended).toMatchObject({ duration: 120, duration_seconds: 120 });
  });

  it('the view carries agent_id and phone_id as recorded', () => {
    expect(callView(stateOf([created({ agentId: AGENT, phoneId: PHONE })]), 0n)).toMatchObject({
      agent_id: AGENT,
      phone_id: PHONE,
    });
  });
});

describe('a call state folded by an older release', () => {
  it('renders null agent_id and phone_id, never leaves them out', () => {
    const { agentId: _a, phoneId: _p, ...oldState } = stateOf([created()]);
    const view = callView(oldState as Call, 0n);
    expect(view).toHaveProperty('agent_id', null);
    expect(view).toHaveProperty('phone_id', null);
  });
});
