import { timerSourceOf } from '../../command-handling/stream-type';
import { conferencecallStream } from '../conferencecall.stream-type';

export type { ConferencecallTimer, ConferencecallTimerKind } from '../conferencecall';
export { dueConferencecallTimers, JOIN_TIMEOUT_SEC, LEAVE_CONFIRMATION_SEC } from '../conferencecall';
export type { ExpireConferencecallTimer } from '../conferencecall.decider';

/**
 * The participants' safety nets (join timeout, leave confirmation; see `dueConferencecallTimers`), fired
 * as the conferencecall decider's own `ExpireConferencecallTimer`, the same idiom as calls and conferences.
 */
export const conferencecallTimerSource = timerSourceOf(conferencecallStream);
