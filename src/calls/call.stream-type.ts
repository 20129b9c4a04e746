import type { StreamType } from '../command-handling/stream-type';
import { notFound } from '../domain/domain-error';
import type { Timer } from '../timers/timer-source';
import { USAGE } from '../usage/usage-read-model-name';
import { type Call, type CallEvent, type CallState, isCall } from './call';
import { type CallCommand, callDecider, timerCommand } from './call.decider';
import { CALL_HISTORY } from './call-history/call-history.projection';
import { CALL_STREAM_PREFIX } from './call-stream';
import { type DueTimer, dueTimers } from './call-timers';

/** The call stream type: `call-<id>`, owned by the tenant that made the call. */
export const callStream: StreamType<CallCommand, CallEvent, CallState> = {
  streamPrefix: CALL_STREAM_PREFIX,
  decider: callDecider,
  ownerOf: (state) => (isCall(state) ? state.customerId : null),
  notFound: (callId) => notFound('call.not_found', `call ${callId} not found`, { callId }),
  // inbound: a call received through a number is created by the media layer's report.
  creates: (command) => command.type === 'MakeCall' || command.type === 'ReceiveInboundCall',
  // Usage (issue 12 §4) meters a call's end: a hangup's 2xx means GET /v1/usage shows it.
  readModels: [CALL_HISTORY, USAGE],
  timers: {
    name: 'call',
    dueTimers,
    // A listed timer implies a call: dueTimers of the initial state is empty.
    command: (timer: Timer, state, at) => timerCommand(timer as DueTimer, state as Call, at),
    // A hung-up call never wants a timer again.
    finished: (state) => isCall(state) && state.status === 'hangup',
    // A created call is a Call from then on, and CallHungUp makes any Call `hangup`.
    lifespan: { created: 'CallCreated', ended: 'CallHungUp' },
  },
};
