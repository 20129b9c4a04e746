import { ruleViolated } from '../domain/domain-error';
import type { Call, CallAddress, CallEvent, CallState, InboundFacts } from './call';
import { isCall } from './call';
import { DEFAULT_MAX_DURATION_SEC } from './call-timers';

/**
 * Inbound calls, the pure part: a call the media layer reports to a registered number, and the
 * application answering it. (Rejecting is a hangup while ringing → `busy`; ringing out is the dial
 * timer → `noanswer`: both in `call.decider.ts`, marked "inbound".)
 */

/**
 * The media layer reports a call to a number of this tenant. The call is born ringing (the caller already
 * hears ringback): `CallCreated` (direction `incoming`, source the caller, destination the number) and
 * `CallRinging` in one append, so no one ever dials it. `ringTimeoutSec` is the number's: the dial timer
 * ends an unanswered call with `noanswer`. The same report again (same id, tenant, number and caller)
 * decides nothing; anything else with a taken id is `call.already_exists`.
 */
export type ReceiveInboundCall = {
  type: 'ReceiveInboundCall';
  data: InboundFacts & {
    callId: string;
    customerId: string;
    from: string;
    ringTimeoutSec: number;
    at: string;
  };
};

/** The application answers a ringing incoming call (`POST /v1/calls/:id/answer`); again is a no-op. */
export type AnswerCall = { type: 'AnswerCall'; data: { callId: string; customerId: string; at: string } };

/** The signal ids the decider itself records, so a media layer's own ids never collide with them. */
export const RECEIVED_SIGNAL_ID = 'inbound:received';
export const ANSWERED_SIGNAL_ID = 'inbound:answered';

export function decideInboundCall(data: ReceiveInboundCall['data'], state: CallState): CallEvent[] {
  const { callId, customerId, from, ringTimeoutSec, at, ...inbound } = data;
  const source = callerAddress(from);
  if (isCall(state)) {
    const same =
      state.customerId === customerId &&
      state.inbound?.numberId === inbound.numberId &&
      state.source?.target === source.target;
    if (same) return [];
    throw ruleViolated('call.already_exists', `call ${callId} already exists`);
  }
  return [
    {
      type: 'CallCreated',
      data: {
        callId,
        customerId,
        type: 'voice',
        direction: 'incoming',
        source,
        destination: { type: 'tel', target: inbound.phoneNumber, targetName: '', name: '', detail: '' },
        contactId: null,
        userId: null,
        // The number called is the phone the call was received on (seed 001 `phone_id`).
        agentId: null,
        phoneId: inbound.numberId,
        masterCallId: null,
        metadata: {},
        dialTimeoutSec: ringTimeoutSec,
        maxDurationSec: DEFAULT_MAX_DURATION_SEC,
        at,
        inbound,
      },
    },
    { type: 'CallRinging', data: { callId, signalId: RECEIVED_SIGNAL_ID, at } },
  ];
}

export function decideAnswer(call: Call, at: string): CallEvent[] {
  // Older folded states have no `inbound` field at all: treat undefined like null.
  if (!call.inbound)
    throw ruleViolated('call.not_inbound', `call ${call.id} was not received through a number`, {
      direction: call.direction,
    });
  if (call.status === 'progressing') return [];
  if (call.status !== 'ringing')
    throw ruleViolated('call.not_ringing', `call ${call.id} is ${call.status}`, { status: call.status });
  return [{ type: 'CallAnswered', data: { callId: call.id, signalId: ANSWERED_SIGNAL_ID, at } }];
}

/** A caller id: a number (`tel`) when it looks like one, else a SIP address as given. */
function callerAddress(from: string): CallAddress {
  const type = /^\+?\d{1,20}$/.test(from) ? 'tel' : 'sip';
  return { type, target: from, targetName: '', name: '', detail: '' };
}
