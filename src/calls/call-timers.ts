import { assertNever } from '../domain/decider';
import { plusSeconds } from '../domain/instants';
import { type Call, type CallState, isCall } from './call';

/**
 * Durable call timers as data derived from state, never stored on their own: a scheduler folds the stream,
 * asks `dueTimers`, and fires each timer at `dueAt` by sending its `Expire*` command. Because the list is
 * recomputed from state, timers survive restarts, and the state change that makes one moot (answer, hangup)
 * removes it from the list: that is the cancellation. A timer that fires twice, or late, finds the call
 * moved on and decides nothing.
 */
export type CallTimerKind = 'dial_timeout' | 'max_duration' | 'hangup_confirmation';
export type DueTimer = { kind: CallTimerKind; dueAt: string };

export const DEFAULT_DIAL_TIMEOUT_SEC = 60;
export const DEFAULT_MAX_DURATION_SEC = 3600;
/**
 * How long we wait for the media layer to confirm a hangup we asked for before recording the hangup
 * anyway, so a lost confirmation never leaves a call stuck in `terminating`/`canceling`.
 */
export const HANGUP_CONFIRMATION_TIMEOUT_SEC = 30;

/** Dial timeout counts from creation (seed 003 `dialout`), for both directions so no call rings forever. */
export function dialDeadline(call: Call): string {
  return plusSeconds(call.tmCreate, call.dialTimeoutSec);
}

/** Max duration counts from answer (seed 003 `timeout`: "after it was answered"). */
export function maxDurationDeadline(call: Call): string | null {
  return call.tmProgressing === null ? null : plusSeconds(call.tmProgressing, call.maxDurationSec);
}

export function hangupConfirmationDeadline(call: Call): string | null {
  return call.tmHangupRequested === null
    ? null
    : plusSeconds(call.tmHangupRequested, HANGUP_CONFIRMATION_TIMEOUT_SEC);
}

/** The timers this state is waiting for (at most one: each status waits for one thing). */
export function dueTimers(state: CallState): DueTimer[] {
  if (!isCall(state)) return [];
  switch (state.status) {
    case 'dialing':
    case 'ringing':
      return [{ kind: 'dial_timeout', dueAt: dialDeadline(state) }];
    case 'progressing': {
      const dueAt = maxDurationDeadline(state);
      return dueAt === null ? [] : [{ kind: 'max_duration', dueAt }];
    }
    case 'terminating':
    case 'canceling': {
      const dueAt = hangupConfirmationDeadline(state);
      return dueAt === null ? [] : [{ kind: 'hangup_confirmation', dueAt }];
    }
    case 'hangup':
      return [];
    default:
      return assertNever(state);
  }
}

/** `at` is not before `deadline`. Both are ISO-8601 instants. */
export function reached(at: string, deadline: string): boolean {
  return Date.parse(at) >= Date.parse(deadline);
}
