import { assertNever, type Decider } from '../../domain/decider';
import type { TimerSource } from '../../timers/timer-source';
import {
  CONFERENCECALL_STREAM_PREFIX,
  type ConferencecallEvent,
  type ConferencecallState,
} from '../conferencecall';
import { type ConferencecallCommand, conferencecallDecider } from '../conferencecall.decider';

/**
 * Safety nets for participants the media layer forgets (the decider's CRASH note, and issue 4's "kicked
 * participant stuck in leaving"). Pure: derived from the participant's state alone.
 *  - `join_timeout`: still `joining` JOIN_TIMEOUT_SEC after the join started (a crash between the join
 *    steps, or a gateway that never confirmed): kick it; the normal leave and clean-up finish it.
 *  - `leave_confirmation`: still `leaving` LEAVE_CONFIRMATION_SEC after the kick: record the leave anyway,
 *    as the call does for an unconfirmed hangup, so it never holds a slot or its call forever.
 */
export const JOIN_TIMEOUT_SEC = 60;
export const LEAVE_CONFIRMATION_SEC = 30;

export type ConferencecallTimerKind = 'join_timeout' | 'leave_confirmation';
export interface ConferencecallTimer {
  kind: ConferencecallTimerKind;
  dueAt: string;
}

/** A due timer firing at `at`. Stale or early firings decide nothing (re-checked against the state). */
export type ExpireConferencecallTimer = {
  type: 'ExpireConferencecallTimer';
  data: { conferencecallId: string; customerId: string; kind: ConferencecallTimerKind; at: string };
};

export function dueConferencecallTimers(state: ConferencecallState): ConferencecallTimer[] {
  if (state === null) return [];
  switch (state.status) {
    case 'joining':
      return [{ kind: 'join_timeout', dueAt: plusSeconds(state.tmCreate, JOIN_TIMEOUT_SEC) }];
    case 'leaving':
      // Only the kick moves tmUpdate while leaving (a late `joined` decides nothing).
      return [{ kind: 'leave_confirmation', dueAt: plusSeconds(state.tmUpdate, LEAVE_CONFIRMATION_SEC) }];
    case 'joined':
    case 'leaved':
      return [];
    default:
      return assertNever(state.status);
  }
}

type TimedCommand = ConferencecallCommand | ExpireConferencecallTimer;

/** The conferencecall decider plus the timer command, for the timer worker only. */
export const conferencecallTimerDecider: Decider<TimedCommand, ConferencecallEvent, ConferencecallState> = {
  ...conferencecallDecider,
  decide(command, state) {
    if (command.type !== 'ExpireConferencecallTimer') return conferencecallDecider.decide(command, state);
    const { kind, at, conferencecallId, customerId } = command.data;
    const timer = dueConferencecallTimers(state).find((t) => t.kind === kind);
    if (!timer || Date.parse(at) < Date.parse(timer.dueAt)) return [];
    const data = { conferencecallId, customerId, at };
    return conferencecallDecider.decide(
      kind === 'join_timeout' ? { type: 'Kick', data } : { type: 'ConfirmLeft', data },
      state,
    );
  },
};

export const conferencecallTimerSource: TimerSource<TimedCommand, ConferencecallEvent, ConferencecallState> =
  {
    name: 'conferencecall',
    streamPrefix: CONFERENCECALL_STREAM_PREFIX,
    decider: conferencecallTimerDecider,
    dueTimers: dueConferencecallTimers,
    // A listed timer implies a participant: dueConferencecallTimers of the initial state is empty.
    command: (timer, state, at) => ({
      type: 'ExpireConferencecallTimer',
      data: {
        conferencecallId: state!.id,
        customerId: state!.customerId,
        kind: (timer as ConferencecallTimer).kind,
        at,
      },
    }),
    finished: (state) => state?.status === 'leaved',
  };

function plusSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}
