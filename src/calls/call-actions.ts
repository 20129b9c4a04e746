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
  type AmdPolicy,
  CALL_ACTION_TYPES,
  type CallAction,
  type CallActionFinished,
  type CallActionOutcome,
  type CallControlEvent,
  controlOf,
} from './call-control';

/**
 * The rules of call control (seed 002 Call Control, VoIPBIN actions) and AMD, called by the call decider
 * for its call-control commands and after every media signal (an answer starts the queued actions).
 *
 * - Actions are queued only on an answered call that is not ending and not transferred (409 otherwise,
 *   naming the rule: `call.not_answered`, `call.ending`, `call.transferred`).
 * - One action runs at a time; when it finishes the next one starts, in the same decision. A talk adds an
 *   assistant message, a context note a system message and finishes at once, a hangup action asks for
 *   the hangup (`normal`) and finishes at once; a talk, a play and a transfer wait for their end (media
 *   signal, transfer leg outcome).
 * - With AMD, actions wait for the verdict: a human (or a machine with `continue`) starts them; a machine
 *   with `hangup` ends the call with `hangup_reason: amd`.
 * - Late reports (the call is ending or over, the action is no longer the current one) decide nothing;
 *   reports before the answer contradict the record (409 `call.not_answered`).
 */
type CallRef = { callId: string; customerId: string; at: string };

export type ControlSignalKind = 'action_started' | 'action_finished' | 'speech' | 'amd';
export const CONTROL_SIGNALS: readonly ControlSignalKind[] = [
  'action_started',
  'action_finished',
  'speech',
  'amd',
];
/** Beside the signal: `result` is human|machine for `amd`, done|failed for `action_finished`. */
export const CONTROL_SIGNAL_RESULTS = ['human', 'machine', 'done', 'failed'] as const;

export type QueueCallActions = { type: 'QueueCallActions'; data: CallRef & { actions: CallAction[] } };
/** A media layer's report about call control (POST /v1/calls/:id/signals, the simulated gateway). */
export type ReportMediaEvent = {
  type: 'ReportMediaEvent';
  data: CallRef & {
    signalId: string;
    kind: ControlSignalKind;
    actionId?: string | null;
    text?: string | null;
    result?: string | null;
    cause?: string | null;
  };
};
/** The action runner's (or another feature's) word that the current action is over. */
export type FinishCallAction = {
  type: 'FinishCallAction';
  data: CallRef & { actionId: string; outcome: CallActionOutcome; reason: string | null };
};
/** What became of a transfer leg: it answered, or it ended (before the answer: the transfer failed). */
export type ReportTransferOutcome = {
  type: 'ReportTransferOutcome';
  data: CallRef & { transferCallId: string; outcome: 'answered' | 'ended'; reason: string | null };
};
export type CallControlCommand =
  | QueueCallActions
  | ReportMediaEvent
  | FinishCallAction
  | ReportTransferOutcome;

/** Settings of MakeCall that belong to call control: actions run once answered, and AMD. */
export type CallControlSettings = {
  actions?: CallAction[];
  amd?: { onMachine: AmdPolicy } | null;
};

/** Beside a creation: the AMD request and the queued actions (nothing when the creation was a retry). */
export function withCallControl(created: CallEvent[], settings: CallControlSettings): CallEvent[] {
  const actions = checkedActions(settings.actions ?? []);
  const first = created[0];
  if (first?.type !== 'CallCreated') return created;
  const { callId, at } = first.data;
  const events: CallEvent[] = [...created];
  if (settings.amd)
    events.push({ type: 'CallAmdRequested', data: { callId, onMachine: settings.amd.onMachine, at } });
  if (actions.length > 0) events.push({ type: 'CallActionsQueued', data: { callId, actions, at } });
  return events;
}

/**
 * The actions of a number (stored as given by the numbers feature) that call control can run: those of a
 * known type with a valid option, in order. The others are skipped rather than refusing the caller's call.
 */
export function runnableActions(actions: readonly CallAction[] | undefined): CallAction[] {
  return (actions ?? []).filter(
    (action) =>
      CALL_ACTION_TYPES.includes(action.type) &&
      checkActionOption(action.type, action.option).problems.length === 0,
  );
}

export function decideCallControl(command: CallControlCommand, call: Call): CallEvent[] {
  const { at } = command.data;
  switch (command.type) {
    case 'QueueCallActions': {
      const actions = checkedActions(command.data.actions);
      if (actions.length === 0) throw invalid('call.invalid_action', 'no action given', { field: 'actions' });
      refuseUnlessControllable(call);
      if (controlOf(call).queue.length + actions.length > MAX_QUEUED_ACTIONS)
        throw ruleViolated('call.too_many_actions', `at most ${MAX_QUEUED_ACTIONS} actions may wait`, {
          queued: controlOf(call).queue.length,
        });
      return proceed(call, [{ type: 'CallActionsQueued', data: { callId: call.id, actions, at } }], at);
    }
    case 'ReportMediaEvent':
      return mediaEvent(call, command.data);
    case 'FinishCallAction': {
      const { actionId, outcome, reason } = command.data;
      if (!isRunning(call, actionId)) return [];
      return proceed(call, [finished(call, outcome, reason, null, at)], at);
    }
    case 'ReportTransferOutcome':
      return transferOutcome(call, command.data);
    default:
      return assertNever(command);
  }
}

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
      return [started];
    case 'inject_context':
      return [started, message('system'), done()];
    case 'hangup':
      return [started, done(), hangupRequested(call, 'normal', at)];
    default:
      return assertNever(action.type);
  }
}

function mediaEvent(call: Call, data: ReportMediaEvent['data']): CallEvent[] {
  const { signalId, kind, at } = data;
  const control = controlOf(call);
  const seen = control.appliedSignals[signalId] ?? call.appliedSignals[signalId];
  if (seen !== undefined) {
    if (seen === kind) return [];
    throw invalid('call.signal_id_reused', `signal ${signalId} was already applied as "${seen}"`, {
      signalId,
      appliedSignal: seen,
    });
  }
  if (call.status === 'dialing' || call.status === 'ringing')
    throw ruleViolated(
      'call.not_answered',
      `call ${call.id} has not been answered: "${kind}" does not apply`,
      {
        status: call.status,
        signal: kind,
      },
    );
  // Ending or over: the media layer is reporting what it was still doing; nothing of it matters now.
  if (call.status !== 'progressing') return [];
  const callId = call.id;
  switch (kind) {
    case 'action_started': {
      const actionId = required(data.actionId, 'action_id', kind);
      if (!isRunning(call, actionId) || control.action?.tmMediaStarted) return [];
      return [{ type: 'CallActionMediaStarted', data: { callId, actionId, signalId, at } }];
    }
    case 'action_finished': {
      const actionId = required(data.actionId, 'action_id', kind);
      const outcome = data.result ?? 'done';
      if (outcome !== 'done' && outcome !== 'failed')
        throw invalid('call.invalid_signal', 'result of action_finished must be done or failed', {
          field: 'result',
        });
      // A transfer ends with its leg, not with a media report.
      if (!isRunning(call, actionId) || control.action?.type === 'transfer') return [];
      return proceed(call, [finished(call, outcome, data.cause ?? null, signalId, at)], at);
    }
    case 'speech': {
      const text = required(data.text, 'text', kind);
      return [
        {
          type: 'CallMessageAdded',
          data: { callId, role: 'user', content: text, actionId: null, signalId, at },
        },
      ];
    }
    case 'amd': {
      const result = data.result;
      if (result !== 'human' && result !== 'machine')
        throw invalid('call.invalid_signal', 'result of amd must be human or machine', { field: 'result' });
      // Only the first verdict counts, and only when detection was asked for.
      if (control.amd === null || control.amd.result !== null) return [];
      const detected: CallEvent = { type: 'CallAmdDetected', data: { callId, result, signalId, at } };
      if (result === 'machine' && control.amd.onMachine === 'hangup')
        return [detected, hangupRequested(call, 'amd', at)];
      return proceed(call, [detected], at);
    }
    default:
      return assertNever(kind);
  }
}

function transferOutcome(call: Call, data: ReportTransferOutcome['data']): CallEvent[] {
  const { transferCallId, outcome, reason, at } = data;
  const transfer = controlOf(call).transfer;
  if (transfer === null || transfer.callId !== transferCallId || call.status !== 'progressing') return [];
  const { actionId } = transfer;
  if (transfer.status === 'dialing') {
    if (outcome === 'answered')
      return [
        { type: 'CallTransferred', data: { callId: call.id, actionId, transferCallId, at } },
        finished(call, 'done', null, null, at),
      ];
    const why = reason ?? 'failed';
    return proceed(
      call,
      [
        { type: 'CallTransferFailed', data: { callId: call.id, actionId, transferCallId, reason: why, at } },
        finished(call, 'failed', why, null, at),
      ],
      at,
    );
  }
  // Transferred: the far end was bridged to the leg, so the leg's end is the conversation's end.
  if (transfer.status === 'transferred' && outcome === 'ended') return [hangupRequested(call, 'normal', at)];
  return [];
}

function refuseUnlessControllable(call: Call): void {
  const details = { status: call.status };
  if (call.status === 'dialing' || call.status === 'ringing')
    throw ruleViolated('call.not_answered', `call ${call.id} has not been answered`, details);
  if (call.status !== 'progressing')
    throw ruleViolated('call.ending', `call ${call.id} is ${call.status}`, details);
  if (controlOf(call).transfer?.status === 'transferred')
    throw ruleViolated('call.transferred', `call ${call.id} was transferred`, details);
}

function checkedActions(actions: CallAction[]): CallAction[] {
  return actions.map((action, index) => {
    const { option, problems } = checkActionOption(action.type, action.option);
    if (problems.length > 0)
      throw invalid('call.invalid_action', problems.join('; '), { field: `actions[${index}].option` });
    return { id: action.id, type: action.type, option };
  });
}

function isRunning(call: Call, actionId: string): boolean {
  const action = controlOf(call).action;
  return action !== null && action.id === actionId && action.status === 'running';
}

function finished(
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

function hangupRequested(call: Call, hangupReason: HangupReason, at: string): CallHangupRequested {
  return {
    type: 'CallHangupRequested',
    data: { callId: call.id, status: 'terminating', hangupReason, endTime: null, at },
  };
}

function required(value: string | null | undefined, field: string, kind: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  throw invalid('call.invalid_signal', `a "${kind}" signal needs ${field}`, { field });
}

function asCall(state: ReturnType<typeof evolve>): Call {
  if (!isCall(state)) throw new Error('call control on a call that does not exist');
  return state;
}
