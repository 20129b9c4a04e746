import { assertNever } from '../domain/decider';
import { withEntry } from '../domain/with-entry';
import type {
  AmdPolicy,
  AmdResult,
  CallAction,
  CallActionOutcome,
  CallControlEvent,
  MessageRole,
} from './call-control.events';

export * from './call-control.events';

/** The running (or last) action: VoIPBIN's `action` with its `tm_execute`, plus how it ended. */
export type RunningAction = CallAction & {
  status: 'running' | CallActionOutcome;
  tmExecute: string;
  tmMediaStarted: string | null;
  tmFinished: string | null;
};

export type CallMessage = { role: MessageRole; content: string; at: string };

export type CallTransfer = {
  actionId: string;
  /** The new leg's call id (the transfer action's id). */
  callId: string;
  status: 'dialing' | 'transferred' | 'failed';
  reason: string | null;
  at: string;
};

/**
 * The call-control part of a call's state, kept in one field (`Call.control`) so the lifecycle state
 * stays as it was. `appliedSignals` holds the control signals' ids (action start/end, speech, AMD).
 */
export type CallControl = {
  queue: CallAction[];
  action: RunningAction | null;
  messages: CallMessage[];
  transfer: CallTransfer | null;
  amd: { onMachine: AmdPolicy; result: AmdResult | null } | null;
  appliedSignals: Record<string, string>;
};

export const INITIAL_CONTROL: CallControl = {
  queue: [],
  action: null,
  messages: [],
  transfer: null,
  amd: null,
  appliedSignals: {},
};

/** A call folded before call control existed (an old read-model row) has no `control`: it had none. */
export function controlOf(call: { control?: CallControl }): CallControl {
  return call.control ?? INITIAL_CONTROL;
}

export function evolveControl(control: CallControl, event: CallControlEvent): CallControl {
  switch (event.type) {
    case 'CallActionsQueued':
      return { ...control, queue: [...control.queue, ...event.data.actions] };
    case 'CallActionStarted': {
      const { action, at } = event.data;
      return {
        ...control,
        queue: control.queue.filter((queued) => queued.id !== action.id),
        action: { ...action, status: 'running', tmExecute: at, tmMediaStarted: null, tmFinished: null },
        transfer:
          action.type === 'transfer'
            ? { actionId: action.id, callId: action.id, status: 'dialing', reason: null, at }
            : control.transfer,
      };
    }
    case 'CallActionMediaStarted':
      return {
        ...withSignal(control, event.data.signalId, 'action_started'),
        action: control.action && { ...control.action, tmMediaStarted: event.data.at },
      };
    case 'CallActionFinished': {
      const { signalId, outcome, at } = event.data;
      const next = signalId ? withSignal(control, signalId, 'action_finished') : control;
      return { ...next, action: control.action && { ...control.action, status: outcome, tmFinished: at } };
    }
    case 'CallMessageAdded': {
      const { role, content, at, signalId } = event.data;
      const next = signalId ? withSignal(control, signalId, 'speech') : control;
      return { ...next, messages: [...control.messages, { role, content, at }] };
    }
    case 'CallTransferred':
      // The far end is the new leg's now: what was still queued for it is dropped.
      return { ...control, queue: [], transfer: transferAs(control, 'transferred', null, event.data.at) };
    case 'CallTransferFailed':
      return { ...control, transfer: transferAs(control, 'failed', event.data.reason, event.data.at) };
    case 'CallAmdRequested':
      return { ...control, amd: { onMachine: event.data.onMachine, result: null } };
    case 'CallAmdDetected': {
      const next = withSignal(control, event.data.signalId, 'amd');
      return { ...next, amd: next.amd && { ...next.amd, result: event.data.result } };
    }
    default:
      return assertNever(event);
  }
}

function withSignal(control: CallControl, signalId: string, kind: string): CallControl {
  return { ...control, appliedSignals: withEntry(control.appliedSignals, signalId, kind) };
}

function transferAs(
  control: CallControl,
  status: CallTransfer['status'],
  reason: string | null,
  at: string,
): CallTransfer | null {
  return control.transfer && { ...control.transfer, status, reason, at };
}
