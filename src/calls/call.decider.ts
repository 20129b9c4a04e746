import { assertNever, type Decider } from '../domain/decider';
import { invalid, notFound, ruleViolated } from '../domain/domain-error';
import { type CallRecordingCommand, decideCallRecording } from '../recordings/call-recording';
import {
  type Call,
  type CallEvent,
  type CallHangupRequested,
  type CallState,
  evolve,
  type HangupReason,
  initialState,
  isCall,
} from './call';
import {
  type CallControlCommand,
  decideCallControl,
  proceed,
  runnableActions,
  withCallControl,
} from './call-actions';
import type { CallAction } from './call-control';
import { decideCreation, type MakeCall } from './call-creation';
import { decideSignal, hungUp, type ReportSignal } from './call-signals';
import {
  type DueTimer,
  dialDeadline,
  hangupConfirmationDeadline,
  maxDurationDeadline,
  reached,
} from './call-timers';
import {
  type AnswerCall,
  decideAnswer,
  decideInboundCall,
  type ReceiveInboundCall as InboundCall,
} from './inbound-call';

type InboundCallData = InboundCall['data'];

export type { StartCallRecording, StopCallRecording } from '../recordings/call-recording';
export type { CallAddressInput, MakeCall } from './call-creation';
export type { ReportSignal } from './call-signals';
export type { AnswerCall } from './inbound-call';

/** An incoming call, with the actions of its number that call control runs once it is answered. */
export type ReceiveInboundCall = {
  type: 'ReceiveInboundCall';
  data: InboundCallData & { queuedActions?: CallAction[] };
};

/** Every command names its call and its tenant; a call of another tenant is answered as unknown. */
type CallRef = { callId: string; customerId: string; at: string };

/**
 * Local hangup (seed 000 PATCH `end_time`, VoIPBIN POST hangup). Before the answer the call goes
 * `canceling` (reason `cancel`), after it `terminating` (reason `normal`); the media layer's hangup signal
 * then completes it. `endTime`, when given, must lie between the call's start and `at` (422 otherwise).
 */
export type HangupCall = { type: 'HangupCall'; data: CallRef & { endTime?: string | null } };
/** Durable timers firing (see `call-timers.ts`); each is a no-op once the call has moved on. */
export type ExpireDialTimeout = { type: 'ExpireDialTimeout'; data: CallRef };
export type ExpireMaxDuration = { type: 'ExpireMaxDuration'; data: CallRef };
export type ExpireHangupConfirmation = { type: 'ExpireHangupConfirmation'; data: CallRef };
/** The call side of a conference join: the call stream guarantees one conference at a time. */
export type AssignConference = {
  type: 'AssignConference';
  data: CallRef & { conferenceId: string; conferencecallId: string };
};
export type ReleaseConference = {
  type: 'ReleaseConference';
  data: CallRef & { conferenceId: string; conferencecallId: string };
};
/** Sent to the master: from now on its hangup also ends `chainedCallId`. */
export type ChainCall = { type: 'ChainCall'; data: CallRef & { chainedCallId: string } };

export type CallCommand =
  | MakeCall
  | ReportSignal
  | HangupCall
  | ExpireDialTimeout
  | ExpireMaxDuration
  | ExpireHangupConfirmation
  | AssignConference
  | ReleaseConference
  | ChainCall
  // --- inbound calls (numbers)
  | ReceiveInboundCall
  | AnswerCall
  // Call control and AMD (`call-actions.ts`).
  | CallControlCommand
  // --- recording (issue 12 §2) ---
  | CallRecordingCommand;

export function decide(command: CallCommand, state: CallState): CallEvent[] {
  if (command.type === 'MakeCall') return withCallControl(decideCreation(command.data, state), command.data);
  if (command.type === 'ReceiveInboundCall') {
    // inbound; call control queues the number's actions (ids from the handler) beside the creation.
    const { queuedActions, ...inbound } = command.data;
    return withCallControl(decideInboundCall(inbound, state), { actions: runnableActions(queuedActions) });
  }
  const call = existing(state, command.data);
  const { at } = command.data;
  switch (command.type) {
    case 'ReportSignal':
      // An answer starts the queued actions (call control), in the same decision.
      return proceed(call, decideSignal(command.data, call), at);
    case 'HangupCall':
      return hangupCall(call, at, command.data.endTime ?? null);
    case 'ExpireDialTimeout':
      // Same path as a user cancel: the leg is still ringing and only the gateway can stop it.
      if (!beforeAnswer(call) || !reached(at, dialDeadline(call))) return [];
      // inbound: an incoming call nobody answered in its ring time rang out (`noanswer`), it was not dialled.
      return [hangupRequested(call, call.inbound ? 'noanswer' : 'dialout', null, at)];
    case 'ExpireMaxDuration': {
      const deadline = maxDurationDeadline(call);
      if (call.status !== 'progressing' || deadline === null || !reached(at, deadline)) return [];
      return [hangupRequested(call, 'timeout', null, at)];
    }
    case 'ExpireHangupConfirmation': {
      // The gateway never confirmed our hangup: record it anyway so the call cannot stay half-ended.
      const deadline = hangupConfirmationDeadline(call);
      if (!ending(call) || deadline === null || !reached(at, deadline)) return [];
      // proceed: a running action ends with the call (call control).
      return proceed(
        call,
        [
          hungUp(call, {
            hangupBy: 'local',
            hangupReason: call.hangupReason ?? 'cancel',
            rawCause: null,
            signal: null,
            signalId: null,
            at,
          }),
        ],
        at,
      );
    }
    case 'AssignConference':
      return assignConference(call, command.data);
    case 'ReleaseConference': {
      // Only the current membership is released: a late release of an earlier one must not end a newer one.
      // After hangup the call is in no conference, so a late release is a harmless no-op.
      const { conferenceId, conferencecallId } = command.data;
      if (!sameMembership(call, conferenceId, conferencecallId)) return [];
      return [
        { type: 'CallReleasedFromConference', data: { callId: call.id, conferenceId, conferencecallId, at } },
      ];
    }
    case 'ChainCall':
      return chainCall(call, command.data.chainedCallId, at);
    case 'AnswerCall': // inbound; the answer starts the queued actions (call control)
      return proceed(call, decideAnswer(call, at), at);
    // --- call control and AMD ---
    case 'QueueCallActions':
    case 'ReportMediaEvent':
    case 'FinishCallAction':
    case 'ReportTransferOutcome':
      return decideCallControl(command, call);
    // --- recording (issue 12 §2) ---
    case 'StartCallRecording':
    case 'StopCallRecording':
      return decideCallRecording(command, call);
    // --- end recording ---
    default:
      return assertNever(command);
  }
}

export const callDecider: Decider<CallCommand, CallEvent, CallState> = { decide, evolve, initialState };

/** The command a due timer sends when it fires. */
export function timerCommand(
  timer: DueTimer,
  call: Pick<Call, 'id' | 'customerId'>,
  at: string,
): CallCommand {
  const data = { callId: call.id, customerId: call.customerId, at };
  switch (timer.kind) {
    case 'dial_timeout':
      return { type: 'ExpireDialTimeout', data };
    case 'max_duration':
      return { type: 'ExpireMaxDuration', data };
    case 'hangup_confirmation':
      return { type: 'ExpireHangupConfirmation', data };
    default:
      return assertNever(timer.kind);
  }
}

function existing(state: CallState, ref: CallRef): Call {
  // A foreign tenant's call gets exactly the unknown call's answer, so ids cannot be probed.
  if (!isCall(state) || state.customerId !== ref.customerId)
    throw notFound('call.not_found', `call ${ref.callId} not found`, { callId: ref.callId });
  return state;
}

function hangupCall(call: Call, at: string, endTime: string | null): CallEvent[] {
  // Bad input is refused even when the hangup itself would be a no-op: the same request, the same answer.
  const end = endTime === null ? null : validEndTime(call, endTime, at);
  // inbound: hanging up an incoming call before answering it is rejecting it (`busy`, as SIP 486).
  if (beforeAnswer(call)) return [hangupRequested(call, call.inbound ? 'busy' : 'cancel', end, at)];
  if (call.status === 'progressing') return [hangupRequested(call, 'normal', end, at)];
  return []; // already ending or ended: a second hangup changes nothing
}

function validEndTime(call: Call, endTime: string, at: string): string {
  const ms = Date.parse(endTime);
  if (Number.isNaN(ms))
    throw invalid('call.invalid_end_time', 'end_time is not a timestamp', { field: 'end_time' });
  if (ms < Date.parse(call.startTime))
    throw invalid('call.invalid_end_time', 'end_time is before the call started', {
      field: 'end_time',
      startTime: call.startTime,
    });
  if (ms > Date.parse(at))
    throw invalid('call.invalid_end_time', 'end_time is in the future', { field: 'end_time' });
  return new Date(ms).toISOString();
}

function hangupRequested(
  call: Call,
  hangupReason: HangupReason,
  endTime: string | null,
  at: string,
): CallHangupRequested {
  const status = call.status === 'progressing' ? 'terminating' : 'canceling';
  return { type: 'CallHangupRequested', data: { callId: call.id, status, hangupReason, endTime, at } };
}

function assignConference(call: Call, data: AssignConference['data']): CallEvent[] {
  const { conferenceId, conferencecallId, at } = data;
  if (sameMembership(call, conferenceId, conferencecallId)) return [];
  if (beforeAnswer(call))
    throw ruleViolated('call.not_answered', `call ${call.id} has not been answered`, { status: call.status });
  if (call.status !== 'progressing')
    throw ruleViolated('call.ending', `call ${call.id} is ${call.status}`, { status: call.status });
  if (call.conference !== null)
    throw ruleViolated('call.already_in_conference', `call ${call.id} is already in a conference`, {
      ...call.conference,
    });
  return [
    { type: 'CallAssignedToConference', data: { callId: call.id, conferenceId, conferencecallId, at } },
  ];
}

function chainCall(call: Call, chainedCallId: string, at: string): CallEvent[] {
  if (chainedCallId === call.id) throw invalid('call.invalid_chain', 'a call cannot be chained to itself');
  if (call.chainedCallIds.includes(chainedCallId)) return [];
  // Refused, never half-done: a call chained to an ending master would only be born to be hung up, or be
  // missed by a chained-hangup saga that has already run.
  if (call.status !== 'progressing' && !beforeAnswer(call))
    throw ruleViolated('call.master_ending', `master call ${call.id} is ${call.status}`, {
      status: call.status,
    });
  return [{ type: 'CallChained', data: { callId: call.id, chainedCallId, at } }];
}

function sameMembership(call: Call, conferenceId: string, conferencecallId: string): boolean {
  return (
    call.conference?.conferenceId === conferenceId && call.conference.conferencecallId === conferencecallId
  );
}

function beforeAnswer(call: Call): boolean {
  return call.status === 'dialing' || call.status === 'ringing';
}

function ending(call: Call): boolean {
  return call.status === 'terminating' || call.status === 'canceling';
}
