import { assertNever } from '../domain/decider';
import { invalid, ruleViolated } from '../domain/domain-error';
import type { Call, CallEvent } from './call';
import { checkActionOption } from './call-action-options';
import {
  checkedActions,
  finished,
  isRunning,
  MAX_QUEUED_ACTIONS,
  proceed,
  refuseUnlessControllable,
} from './call-action-queue';
import {
  type AmdPolicy,
  CALL_ACTION_TYPES,
  type CallAction,
  type CallActionOutcome,
  controlOf,
} from './call-control';
import { mediaEvent, transferOutcome } from './call-control-reports';

export { MAX_QUEUED_ACTIONS, proceed } from './call-action-queue';

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
