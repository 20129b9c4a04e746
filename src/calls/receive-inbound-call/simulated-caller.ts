/**
 * What the simulated caller of `POST /v1/simulator/inbound-calls` does, by its `from` (compared without
 * spaces, dashes, dots and parentheses). Pure: the simulator plays it on its scheduler.
 *
 * | from             | the caller                                                                  |
 * |------------------|-----------------------------------------------------------------------------|
 * | `+15005552SSS`   | hangs up SSS s after calling: before an answer `cancel`, after it `normal`   |
 * | anything else    | waits: for the answer, the rejection, or the number's ring timeout           |
 */
export const MAGIC_CALLER_HANGUP_PREFIX = '+15005552';

/** Milliseconds after which the simulated caller hangs up, or null when it waits forever. */
export function callerHangupAfterMs(from: string): number | null {
  const match = /^\+15005552(\d{3})$/.exec(from.replace(/[\s\-().]/g, ''));
  return match ? Number(match[1]) * 1000 : null;
}
