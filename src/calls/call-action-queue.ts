import { assertNever } from '../domain/decider';
import { invalid, ruleViolated } from '../domain/domain-error';
import {
  type Call,
  type CallEvent,
  type CallHangupRequested,
  evolve,
  type HangupReason,
  isCall,
} from './call';
import { checkActionOption } from './call-action-options';
import {
  type CallAction,
  type CallActionFinished,
  type CallActionOutcome,
  type CallControlEvent,
  controlOf,
} from './call-control';

/**
 * Running the queue of a call's actions (rules in `call-actions.ts`): which action starts next, what
 * starting it decides, and the small event builders the call-control rules share.
 */

/** At most this many actions wait on one call: a runaway client cannot grow a stream without bound. */
export const MAX_QUEUED_ACTIONS = 50;

/**
 * After `events`, start queued actions while the call can run one: answered, nothing running, not waiting
 * for AMD, not transferred. Each start is folded before the next is considered, so a hangup action stops it.
 * When `events` end the call, a running action is finished (`failed`, reason `hangup`) instead.
 */
export function proceed(call: Call, events: CallEvent[], at: string): CallEvent[] {
  const out = [...events];
  let state = events.reduce<Call>((current, event) => asCall(evolve(current, event)), call);
  // The call is over with an action still running (a talk cut short): that action ended with it.
  if (state.status === 'hangup' && controlOf(state).action?.status === 'running')
    return [...out, finished(state, 'failed', 'hangup', null, at)];
  for (;;) {
    const next = nextAction(state);
    if (next === null) return out;
    const step = start(state, next, at);
    out.push(...step);
    state = step.reduce<Call>((current, event) => asCall(evolve(current, event)), state);
  }
}

function nextAction(call: Call): CallAction | null {
  const control = controlOf(call);
  if (call.status !== 'progressing' || control.queue.length === 0) return null;
  if (control.action?.status === 'running') return null;
  if (control.amd !== null && control.amd.result === null) return null;
  if (control.transfer?.status === 'transferred') return null;
  return control.queue[0];
}

function start(call: Call, action: CallAction, at: string): CallEvent[] {
  const callId = call.id;
  const started: CallControlEvent = { type: 'CallActionStarted', data: { callId, action, at } };
  const message = (role: 'assistant' | 'system'): CallControlEvent => ({
    type: 'CallMessageAdded',
    data: { callId, role, content: String(action.option.text), actionId: action.id, signalId: null, at },
  });
  const done = (): CallActionFinished => ({
    type: 'CallActionFinished',
    data: {
      callId,
      actionId: action.id,
      type: action.type,
      outcome: 'done',
      reason: null,
      signalId: null,
      at,
    },
  });
  switch (action.type) {
    case 'talk':
      return [started, message('assistant')];
    case 'play':
    case 'transfer':
    case 'record_start':
    case 'record_stop':
      return [started];
    case 'inject_context':
      return [started, message('system'), done()];
    case 'hangup':
      return [started, done(), hangupRequested(call, 'normal', at)];
    default:
      return assertNever(action.type);
  }
}

export function refuseUnlessControllable(call: Call): void {
  const details = { status: call.status };
  if (call.status === 'dialing' || call.status === 'ringing')
    throw ruleViolated('call.not_answered', `call ${call.id} has not been answered`, details);
  if (call.status !== 'progressing')
    throw ruleViolated('call.ending', `call ${call.id} is ${call.status}`, details);
  if (controlOf(call).transfer?.status === 'transferred')
    throw ruleViolated('call.transferred', `call ${call.id} was transferred`, details);
}

export function checkedActions(actions: CallAction[]): CallAction[] {
  return actions.map((action, index) => {
    const { option, problems } = checkActionOption(action.type, action.option);
    if (problems.length > 0)
      throw invalid('call.invalid_action', problems.join('; '), { field: `actions[${index}].option` });
    return { id: action.id, type: action.type, option };
  });
}

export function isRunning(call: Call, actionId: string): boolean {
  const action = controlOf(call).action;
  return action !== null && action.id === actionId && action.status === 'running';
}

export function finished(
  call: Call,
  outcome: CallActionOutcome,
  reason: string | null,
  signalId: string | null,
  at: string,
): CallActionFinished {
  const action = controlOf(call).action;
  if (action === null) throw new Error('no action to finish');
  return {
    type: 'CallActionFinished',
    data: { callId: call.id, actionId: action.id, type: action.type, outcome, reason, signalId, at },
  };
}

export function hangupRequested(call: Call, hangupReason: HangupReason, at: string): CallHangupRequested {
  return {
    type: 'CallHangupRequested',
    data: { callId: call.id, status: 'terminating', hangupReason, endTime: null, at },
  };
}

export function asCall(state: ReturnType<typeof evolve>): Call {
  if (!isCall(state)) throw new Error('call control on a call that does not exist');
  return state;
}
