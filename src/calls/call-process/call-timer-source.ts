import type { TimerSource } from '../../timers/timer-source';
import { type Call, type CallEvent, type CallState, isCall } from '../call';
import { type CallCommand, callDecider, timerCommand } from '../call.decider';
import { CALL_STREAM_PREFIX } from '../call-stream';
import { type DueTimer, dueTimers } from '../call-timers';

/**
 * The call's durable timers (dial timeout → `dialout`, max duration → `timeout`, hangup confirmation), as
 * the pure domain derives them (`call-timers.ts`). A hung-up call never wants a timer again.
 */
export const callTimerSource: TimerSource<CallCommand, CallEvent, CallState> = {
  name: 'call',
  streamPrefix: CALL_STREAM_PREFIX,
  decider: callDecider,
  dueTimers,
  // A listed timer implies a call: dueTimers of the initial state is empty.
  command: (timer, state, at) => timerCommand(timer as DueTimer, state as Call, at),
  finished: (state) => isCall(state) && state.status === 'hangup',
};
