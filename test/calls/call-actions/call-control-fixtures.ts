import type { CallEvent } from '../../../src/calls/call';
import type { CallCommand } from '../../../src/calls/call.decider';
import type { CallAction, CallActionOutcome } from '../../../src/calls/call-control';
import { CALL_ID, CUSTOMER, T_ANSWER } from '../call-fixtures';

/** Fixed actions, events and commands of call control, beside `call-fixtures.ts`. */
export const T_ACT = '2026-01-01T00:00:10.000Z';
export const T_ACT_END = '2026-01-01T00:00:12.000Z';

export const talk = (id = 'act-talk', text = 'Hello there'): CallAction => ({
  id,
  type: 'talk',
  option: { text, gender: 'female', language: 'en-US' },
});
export const play = (id = 'act-play'): CallAction => ({
  id,
  type: 'play',
  option: { url: 'https://example.com/a.wav' },
});
export const note = (id = 'act-note', text = 'VIP customer'): CallAction => ({
  id,
  type: 'inject_context',
  option: { text },
});
export const hangupAction = (id = 'act-hangup'): CallAction => ({ id, type: 'hangup', option: {} });
export const transfer = (id = 'act-transfer', target = '+4930999'): CallAction => ({
  id,
  type: 'transfer',
  option: { destination: { type: 'tel', target, target_name: '', name: '', detail: '' } },
});

const ref = (at: string) => ({ callId: CALL_ID, customerId: CUSTOMER, at });

// --- events -------------------------------------------------------------------------------------------

export const queued = (actions: CallAction[], at = T_ACT): CallEvent => ({
  type: 'CallActionsQueued',
  data: { callId: CALL_ID, actions, at },
});
export const started = (action: CallAction, at = T_ACT): CallEvent => ({
  type: 'CallActionStarted',
  data: { callId: CALL_ID, action, at },
});
export const finished = (
  action: CallAction,
  outcome: CallActionOutcome = 'done',
  options: { at?: string; signalId?: string | null; reason?: string | null } = {},
): CallEvent => ({
  type: 'CallActionFinished',
  data: {
    callId: CALL_ID,
    actionId: action.id,
    type: action.type,
    outcome,
    reason: options.reason ?? null,
    signalId: options.signalId ?? null,
    at: options.at ?? T_ACT,
  },
});
export const message = (
  role: 'assistant' | 'user' | 'system',
  content: string,
  source: { actionId?: string; signalId?: string },
  at = T_ACT,
): CallEvent => ({
  type: 'CallMessageAdded',
  data: {
    callId: CALL_ID,
    role,
    content,
    actionId: source.actionId ?? null,
    signalId: source.signalId ?? null,
    at,
  },
});
export const amdRequested = (
  onMachine: 'hangup' | 'continue',
  at = '2026-01-01T00:00:00.000Z',
): CallEvent => ({
  type: 'CallAmdRequested',
  data: { callId: CALL_ID, onMachine, at },
});

// --- commands -----------------------------------------------------------------------------------------

export const queue = (actions: CallAction[], at = T_ACT): CallCommand => ({
  type: 'QueueCallActions',
  data: { ...ref(at), actions },
});
export const media = (
  kind: 'action_started' | 'action_finished' | 'speech' | 'amd',
  fields: { signalId?: string; actionId?: string; text?: string; result?: string; cause?: string } = {},
  at = T_ACT_END,
): CallCommand => ({
  type: 'ReportMediaEvent',
  data: {
    ...ref(at),
    signalId: fields.signalId ?? `sig-${kind}`,
    kind,
    actionId: fields.actionId ?? null,
    text: fields.text ?? null,
    result: fields.result ?? null,
    cause: fields.cause ?? null,
  },
});
export const transferOutcome = (
  outcome: 'answered' | 'ended',
  reason: string | null = null,
  transferCallId = 'act-transfer',
  at = T_ACT_END,
): CallCommand => ({
  type: 'ReportTransferOutcome',
  data: { ...ref(at), transferCallId, outcome, reason },
});

export { T_ANSWER };
