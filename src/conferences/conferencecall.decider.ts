import { assertNever, type Decider } from '../domain/decider';
import { notFound, ruleViolated } from '../domain/domain-error';
import {
  type Conferencecall,
  type ConferencecallEvent,
  type ConferencecallJoinAborted,
  type ConferencecallReferenceType,
  type ConferencecallState,
  type ConferencecallTimer,
  type ConferencecallTimerKind,
  dueConferencecallTimers,
  evolveConferencecall,
  initialConferencecallState,
} from './conferencecall';

/**
 * The conferencecall decider, and the join process it takes part in (a process manager, built later).
 *
 * JOIN (POST /v1/conferencecalls). Every step is idempotent, so a retried step is harmless.
 *  1. conferencecall `StartJoining` on a new stream (expected `no_stream`) → joining.
 *  2. conference `AdmitParticipant`: status and capacity, decided under the conference's revision.
 *  3. call `AssignConference { conferenceId, conferencecallId }`: at most one conference per call, decided
 *     under the call's revision, not from a read model. Deliberately the LAST gate: from then on the call's
 *     own stream names its participant, so the call's hangup saga can find it. A hangup before step 3 needs
 *     no saga: step 3 is refused (the call is no longer progressing) and the join is aborted.
 *  4. Reload the conferencecall (write, then read). `joining`: go on. `leaving`: stop; its coming
 *     ConfirmLeft triggers the clean-up below, which then sees the writes of steps 2-3. `leaved`: the
 *     clean-up may have run before steps 2-3 wrote, so send it again (RemoveParticipant + ReleaseConference).
 *  5. Ask the media gateway to join the call, with the conference's pre actions; it reports ConfirmJoined.
 *  Refused at 2 or 3: `AbortJoin { reason: <rule code> }` → leaved, and the API answers 409 with that rule.
 *
 * CLEAN-UP, one rule for every way out: on ConferencecallLeft or ConferencecallJoinAborted a saga sends
 * conference `RemoveParticipant { conferencecallId }` and call `ReleaseConference { conferenceId,
 * conferencecallId }`. Both must decide nothing when not applicable (never admitted, never assigned, already
 * released). ReleaseConference must match the conferencecallId, not only the conference: a late release of
 * an old participation must not free the call from a newer one in the same conference.
 *
 * LEAVE
 *  - Kick (DELETE /v1/conferencecalls/:id, or the saga on ConferenceTerminationStarted) → leaving; the saga on
 *    ConferencecallKicked asks the gateway to take the call out (post actions) → ConfirmLeft → leaved. The
 *    gateway must answer `left` to a leave for a call that never reached the bridge (a kick during joining).
 *  - The call hangs up: a saga on the call's hangup event sends ConfirmLeft to the call's assigned
 *    conferencecall, whatever its status → leaved. This also ends a kicked participant whose leave the
 *    gateway never confirmed, so nobody stays `leaving` once the call is gone.
 *  - The gateway reports a leave on its own (the call dropped out of the bridge): ConfirmLeft → leaved.
 *
 * OUT OF ORDER: ConfirmJoined after a kick or a leave decides nothing. The handler should log it and, if
 * the status is `leaving`, ask the gateway to leave again: the join it reports happened after our request.
 *
 * CRASH between steps: a participant can stay `joining` (and hold a slot). Suggested safety net: a durable
 * join-timeout timer while `joining` that sends Kick; the normal leave and clean-up then finish it.
 */
/** Every command names its participant and its tenant: another tenant's answers `conferencecall.not_found`. */
type ConferencecallRef = { conferencecallId: string; customerId: string; at: string };

export type StartJoining = {
  type: 'StartJoining';
  data: ConferencecallRef & {
    conferenceId: string;
    referenceType: ConferencecallReferenceType;
    referenceId: string;
  };
};
/** The media gateway says the call is in the bridge. */
export type ConfirmJoined = { type: 'ConfirmJoined'; data: ConferencecallRef };
/** Take the participant out; during `joining` this cancels the join. */
export type Kick = { type: 'Kick'; data: ConferencecallRef };
/** The call is out of the bridge: confirmed by the gateway, reported by it unasked, or the call hung up. */
export type ConfirmLeft = { type: 'ConfirmLeft'; data: ConferencecallRef };
/** Admission refused or rolled back before the gateway was asked to join. */
export type AbortJoin = {
  type: 'AbortJoin';
  /** `reason`: the refused rule's code, e.g. `conference.full`. */
  data: ConferencecallRef & { reason: string };
};

/**
 * Sent by the timer worker when a safety net (`dueConferencecallTimers`) is due: `join_timeout` kicks,
 * `leave_confirmation` records the leave. Stale or early firings decide nothing (re-checked on the state).
 */
export type ExpireConferencecallTimer = {
  type: 'ExpireConferencecallTimer';
  data: ConferencecallRef & { kind: ConferencecallTimerKind };
};

export type ConferencecallCommand =
  | StartJoining
  | ConfirmJoined
  | Kick
  | ConfirmLeft
  | AbortJoin
  | ExpireConferencecallTimer;

export function decideConferencecall(
  command: ConferencecallCommand,
  state: ConferencecallState,
): ConferencecallEvent[] {
  if (command.type === 'StartJoining') return startJoining(command.data, state);
  const participant = existing(command.data, state);
  const { status } = participant;
  const ref = {
    conferencecallId: participant.id,
    conferenceId: participant.conferenceId,
    referenceId: participant.referenceId,
    at: command.data.at,
  };
  switch (command.type) {
    case 'ConfirmJoined':
      // Only from joining: a late `joined` after a kick or a leave must not move it back.
      return status === 'joining' ? [{ type: 'ConferencecallJoined', data: ref }] : [];
    case 'Kick':
      return status === 'joining' || status === 'joined' ? [{ type: 'ConferencecallKicked', data: ref }] : [];
    case 'ConfirmLeft':
      return status === 'leaved' ? [] : [{ type: 'ConferencecallLeft', data: ref }];
    case 'AbortJoin':
      return abortJoin(participant, { ...ref, reason: command.data.reason });
    case 'ExpireConferencecallTimer': {
      const { kind, at, conferencecallId, customerId } = command.data;
      const timer = dueConferencecallTimers(participant).find((t) => t.kind === kind);
      if (!timer || Date.parse(at) < Date.parse(timer.dueAt)) return [];
      const data = { conferencecallId, customerId, at };
      return decideConferencecall(
        kind === 'join_timeout' ? { type: 'Kick', data } : { type: 'ConfirmLeft', data },
        participant,
      );
    }
    default:
      return assertNever(command);
  }
}

/** The command a due timer sends when it fires at `at`. */
export function conferencecallTimerCommand(
  timer: ConferencecallTimer,
  participant: Pick<Conferencecall, 'id' | 'customerId'>,
  at: string,
): ExpireConferencecallTimer {
  return {
    type: 'ExpireConferencecallTimer',
    data: { conferencecallId: participant.id, customerId: participant.customerId, kind: timer.kind, at },
  };
}

export const conferencecallDecider: Decider<ConferencecallCommand, ConferencecallEvent, ConferencecallState> =
  {
    decide: decideConferencecall,
    evolve: evolveConferencecall,
    initialState: initialConferencecallState,
  };

function existing(ref: ConferencecallRef, state: ConferencecallState): Conferencecall {
  if (state === null || state.customerId !== ref.customerId)
    throw notFound('conferencecall.not_found', `Conferencecall ${ref.conferencecallId} not found`, {
      conferencecallId: ref.conferencecallId,
    });
  return state;
}

function startJoining(command: StartJoining['data'], state: ConferencecallState): ConferencecallEvent[] {
  if (state !== null) {
    // The join process retrying step 1 after a crash: the same join again is not an error.
    const sameJoin =
      state.customerId === command.customerId &&
      state.conferenceId === command.conferenceId &&
      state.referenceType === command.referenceType &&
      state.referenceId === command.referenceId;
    if (sameJoin) return [];
    throw ruleViolated('conferencecall.already_exists', `Conferencecall ${command.conferencecallId} exists`, {
      status: state.status,
    });
  }
  const { conferencecallId, customerId, conferenceId, referenceType, referenceId, at } = command;
  return [
    {
      type: 'ConferencecallJoinStarted',
      data: { conferencecallId, customerId, conferenceId, referenceType, referenceId, at },
    },
  ];
}

function abortJoin(
  participant: Conferencecall,
  data: ConferencecallJoinAborted['data'],
): ConferencecallEvent[] {
  switch (participant.status) {
    case 'joining':
    case 'leaving': // kicked while joining, then refused: the gateway never joined it, nothing to wait for
      return [{ type: 'ConferencecallJoinAborted', data }];
    case 'joined':
      // The process only aborts before asking the gateway to join; a joined call must leave through Kick.
      throw ruleViolated('conferencecall.already_joined', 'A joined participant leaves through a kick', {
        status: participant.status,
      });
    case 'leaved':
      return [];
    default:
      return assertNever(participant.status);
  }
}
