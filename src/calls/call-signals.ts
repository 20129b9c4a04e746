import { assertNever } from '../domain/decider';
import { invalid, ruleViolated } from '../domain/domain-error';
import type { Call, CallEvent, CallHungUp, CallSignal, HangupBy, HangupReason } from './call';

/**
 * How media signals move a call. Media layers retry and reorder deliveries, so the rules are:
 * - a signal id already applied decides nothing (the same id with another signal is a 422);
 * - a signal that is merely stale while the call is alive (`ringing` after the answer, `answered` while we
 *   are canceling: the cancel wins and the gateway's hangup ends the leg) is ignored;
 * - a signal that contradicts the record (`busy` after an answer, anything but `hangup` after hangup) is
 *   `call.invalid_transition` (409 naming the current status): the media layer is confused, say so.
 *
 * | status               | ringing  | answered    | busy     | no_answer | rejected | failed   | hangup          |
 * |----------------------|----------|-------------|----------|-----------|----------|----------|-----------------|
 * | dialing              | ringing  | progressing | busy     | noanswer  | busy     | failed   | by cause        |
 * | ringing              | -        | progressing | busy     | noanswer  | busy     | failed   | by cause        |
 * | progressing          | -        | -           | 409      | 409       | 409      | failed   | normal          |
 * | terminating          | -        | -           | 409      | 409       | 409      | complete | complete        |
 * | canceling            | -        | - (ignored) | complete | complete  | complete | complete | complete        |
 * | hangup               | 409      | 409         | 409      | 409       | 409      | 409      | -               |
 * (`-` no events; reasons above are `hangup_by: remote`; "complete" ends a local hangup: `hangup_by: local`
 * with the reason chosen when it was requested, the media layer's cause kept as `rawCause`.)
 *
 * `rejected` maps to `busy`: the destination was reached and declined, which seed 003's `failed` ("not
 * reached to the phone network") would misstate; the event keeps `signal: 'rejected'` to tell them apart.
 */
export type ReportSignal = {
  type: 'ReportSignal';
  data: {
    callId: string;
    customerId: string;
    /** Unique per delivery attempt of one signal; redelivery with the same id decides nothing. */
    signalId: string;
    signal: CallSignal;
    cause?: string | null;
    at: string;
  };
};

type Signal = ReportSignal['data'];

export function decideSignal(command: Signal, call: Call): CallEvent[] {
  const seen = call.appliedSignals[command.signalId];
  if (seen !== undefined) {
    if (seen === command.signal) return [];
    throw invalid('call.signal_id_reused', `signal ${command.signalId} was already applied as "${seen}"`, {
      signalId: command.signalId,
      appliedSignal: seen,
    });
  }
  switch (call.status) {
    case 'dialing':
    case 'ringing':
      return beforeAnswer(command, call);
    case 'progressing':
      return whileTalking(command, call);
    case 'terminating':
    case 'canceling':
      return whileEnding(command, call);
    case 'hangup':
      if (command.signal === 'hangup') return [];
      throw contradiction(command, call);
    default:
      return assertNever(call.status);
  }
}

function beforeAnswer(command: Signal, call: Call): CallEvent[] {
  const { callId, signalId, at } = command;
  switch (command.signal) {
    case 'ringing':
      // Provisional responses repeat (180, 183): the first one counts.
      return call.status === 'dialing' ? [{ type: 'CallRinging', data: { callId, signalId, at } }] : [];
    case 'answered':
      return [{ type: 'CallAnswered', data: { callId, signalId, at } }];
    case 'busy':
    case 'rejected':
      return [remoteEnd(call, command, 'busy')];
    case 'no_answer':
      return [remoteEnd(call, command, 'noanswer')];
    case 'failed':
      return [remoteEnd(call, command, 'failed')];
    case 'hangup':
      // Before an answer the other end can only give up: on an incoming call that is its originator
      // cancelling; on an outgoing one the cause says why, else it did not get through.
      return [
        remoteEnd(
          call,
          command,
          reasonFromCause(command.cause) ?? (call.direction === 'incoming' ? 'cancel' : 'failed'),
        ),
      ];
    default:
      return assertNever(command.signal);
  }
}

function whileTalking(command: Signal, call: Call): CallEvent[] {
  switch (command.signal) {
    case 'ringing':
    case 'answered':
      return [];
    case 'busy':
    case 'no_answer':
    case 'rejected':
      throw contradiction(command, call);
    case 'failed':
      // The leg broke after the answer (media timeout, network): the far side ended it, not us.
      return [remoteEnd(call, command, 'failed')];
    case 'hangup':
      return [remoteEnd(call, command, 'normal')];
    default:
      return assertNever(command.signal);
  }
}

/** We asked the gateway to hang up; whatever ends the leg now completes our hangup (we asked first). */
function whileEnding(command: Signal, call: Call): CallEvent[] {
  switch (command.signal) {
    case 'ringing':
    case 'answered':
      return [];
    case 'busy':
    case 'no_answer':
    case 'rejected':
      if (call.status === 'terminating') throw contradiction(command, call);
      return [localEnd(call, command)];
    case 'failed':
    case 'hangup':
      return [localEnd(call, command)];
    default:
      return assertNever(command.signal);
  }
}

function remoteEnd(call: Call, command: Signal, hangupReason: HangupReason): CallHungUp {
  return hungUp(call, { ...fromSignal(command), hangupBy: 'remote', hangupReason });
}

function localEnd(call: Call, command: Signal): CallHungUp {
  // The reason was chosen when the hangup was requested; `cancel` is the safe fallback for old states.
  return hungUp(call, {
    ...fromSignal(command),
    hangupBy: 'local',
    hangupReason: call.hangupReason ?? 'cancel',
  });
}

function fromSignal(command: Signal) {
  return {
    rawCause: command.cause ?? null,
    signal: command.signal,
    signalId: command.signalId,
    at: command.at,
  };
}

export type HangupFacts = {
  hangupBy: HangupBy;
  hangupReason: HangupReason;
  rawCause: string | null;
  signal: CallSignal | null;
  signalId: string | null;
  at: string;
};

/**
 * The final event. End time is the client's own end time when it gave one (seed 000 PATCH), else now.
 * Duration is talk time, answer to end, rounded to whole seconds; 0 for a call never answered.
 */
export function hungUp(call: Call, facts: HangupFacts): CallHungUp {
  const endTime = call.requestedEndTime ?? facts.at;
  const durationSec =
    call.tmProgressing === null
      ? 0
      : Math.max(0, Math.round((Date.parse(endTime) - Date.parse(call.tmProgressing)) / 1000));
  return {
    type: 'CallHungUp',
    data: {
      callId: call.id,
      ...facts,
      endTime,
      durationSec,
      conference: call.conference,
      chainedCallIds: call.chainedCallIds,
    },
  };
}

/**
 * Hangup causes we recognise before an answer: Q.850 names and numbers, and SIP final response codes,
 * case-insensitive. Anything else leaves the reason to the signal's default.
 */
const CAUSE_REASONS: Record<string, HangupReason> = {
  USER_BUSY: 'busy',
  '17': 'busy',
  CALL_REJECTED: 'busy',
  '21': 'busy',
  '486': 'busy',
  '600': 'busy',
  '603': 'busy',
  NO_USER_RESPONSE: 'noanswer',
  '18': 'noanswer',
  NO_ANSWER: 'noanswer',
  '19': 'noanswer',
  '408': 'noanswer',
  '480': 'noanswer',
};

export function reasonFromCause(cause: string | null | undefined): HangupReason | undefined {
  if (!cause) return undefined;
  const key = cause.trim().toUpperCase();
  return Object.hasOwn(CAUSE_REASONS, key) ? CAUSE_REASONS[key] : undefined;
}

function contradiction(command: Signal, call: Call) {
  return ruleViolated(
    'call.invalid_transition',
    `call ${call.id} is ${call.status}: signal "${command.signal}" does not apply`,
    { status: call.status, signal: command.signal },
  );
}
