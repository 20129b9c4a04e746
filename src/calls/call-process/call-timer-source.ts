import { timerSourceOf } from '../../command-handling/stream-type';
import { callStream } from '../call.stream-type';

/**
 * The call's durable timers (dial timeout → `dialout`, max duration → `timeout`, hangup confirmation), as
 * the pure domain derives them (`call-timers.ts`) and the call stream type declares them.
 */
export const callTimerSource = timerSourceOf(callStream);
