import type { DomainEvent } from '../domain/decider';
import type { JsonObject } from '../event-store/event-store';

/**
 * Call control (seed 002 Call Control, VoIPBIN's flow of actions) and answering-machine detection: the
 * events. Part of the call stream (`CallEvent` includes them); state in `call-control.ts`, rules in
 * `call-actions.ts`. Names and fields are stable forever, like every event.
 *
 * An action's life: queued (at creation or by POST /v1/calls/:id/actions) → started (it is the call's
 * current action and was handed to the media layer or, for a transfer, to a new leg; `tm_execute`) →
 * media started (the media layer says it began playing; optional) → finished. Actions run one at a time,
 * in order, only while the call is answered (and, with AMD, once a human or a tolerated machine answered).
 */
export type CallActionType =
  | 'talk'
  | 'play'
  | 'transfer'
  | 'hangup'
  | 'inject_context'
  // Carried out by the recording feature (src/recordings): the recording id is the action id.
  | 'record_start'
  | 'record_stop';
export const CALL_ACTION_TYPES: readonly CallActionType[] = [
  'talk',
  'play',
  'transfer',
  'hangup',
  'inject_context',
  'record_start',
  'record_stop',
];

/**
 * One action. `option` is the normalised API shape (seed 003's `option`: `{text, gender, language}` for a
 * talk, `{url}` for a play, `{destination}` for a transfer, `{text}` for a context note, `{}` for a hangup).
 * A transfer's new leg takes the action's id as its call id: one id generated with the command, no other.
 */
export type CallAction = { id: string; type: CallActionType; option: JsonObject };
/** An action as clients give it; its id is added by the handler (ids arrive with the command). */
export type CallActionInput = Omit<CallAction, 'id'>;

export type CallActionOutcome = 'done' | 'failed';
export type MessageRole = 'assistant' | 'user' | 'system';
export type AmdPolicy = 'hangup' | 'continue';
export type AmdResult = 'human' | 'machine';

export type CallActionsQueued = DomainEvent<
  'CallActionsQueued',
  { callId: string; actions: CallAction[]; at: string }
>;
/** The action is now the call's current one; the action runner hands it over (gateway or new leg). */
export type CallActionStarted = DomainEvent<
  'CallActionStarted',
  { callId: string; action: CallAction; at: string }
>;
/** The media layer reported that it began playing the current action. */
export type CallActionMediaStarted = DomainEvent<
  'CallActionMediaStarted',
  { callId: string; actionId: string; signalId: string; at: string }
>;
export type CallActionFinished = DomainEvent<
  'CallActionFinished',
  {
    callId: string;
    actionId: string;
    type: CallActionType;
    outcome: CallActionOutcome;
    /** Why it failed (a transfer leg's hangup reason, a media cause); null when done. */
    reason: string | null;
    /** The media signal that finished it; null when the call itself did (hangup, context note, transfer). */
    signalId: string | null;
    at: string;
  }
>;
/** A turn of the conversation (seed 002 `messages`): a talk, a context note, or the user's speech. */
export type CallMessageAdded = DomainEvent<
  'CallMessageAdded',
  {
    callId: string;
    role: MessageRole;
    content: string;
    /** The action (talk, inject_context) or the media signal (speech) it came from. */
    actionId: string | null;
    signalId: string | null;
    at: string;
  }
>;
/** The transfer leg answered: the call's far end now talks to it (blind transfer). */
export type CallTransferred = DomainEvent<
  'CallTransferred',
  { callId: string; actionId: string; transferCallId: string; at: string }
>;
/** The transfer leg did not answer (busy, no answer, failed...): the call goes on without it. */
export type CallTransferFailed = DomainEvent<
  'CallTransferFailed',
  { callId: string; actionId: string; transferCallId: string; reason: string; at: string }
>;
export type CallAmdRequested = DomainEvent<
  'CallAmdRequested',
  { callId: string; onMachine: AmdPolicy; at: string }
>;
export type CallAmdDetected = DomainEvent<
  'CallAmdDetected',
  { callId: string; result: AmdResult; signalId: string; at: string }
>;

export type CallControlEvent =
  | CallActionsQueued
  | CallActionStarted
  | CallActionMediaStarted
  | CallActionFinished
  | CallMessageAdded
  | CallTransferred
  | CallTransferFailed
  | CallAmdRequested
  | CallAmdDetected;

export const CALL_CONTROL_EVENT_TYPES: readonly CallControlEvent['type'][] = [
  'CallActionsQueued',
  'CallActionStarted',
  'CallActionMediaStarted',
  'CallActionFinished',
  'CallMessageAdded',
  'CallTransferred',
  'CallTransferFailed',
  'CallAmdRequested',
  'CallAmdDetected',
];

const CONTROL_TYPES = new Set<string>(CALL_CONTROL_EVENT_TYPES);

export function isCallControlEvent(event: { type: string }): event is CallControlEvent {
  return CONTROL_TYPES.has(event.type);
}
