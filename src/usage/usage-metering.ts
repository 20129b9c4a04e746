/**
 * What usage measures, as pure functions (issue 12 §4, seed 002 Usage). No clock: every instant comes from
 * an event.
 *
 * - A CALL is metered when it ends, into the UTC day of its end time (the `end_time` its view shows), by
 *   direction and outcome (its hangup reason). Billable minutes are per call, rounded up: 1 s of talk is
 *   1 minute, 60 s is 1, 61 s is 2; a call never answered is 0.
 * - A CONFERENCE PARTICIPANT (conferencecall) is metered when it leaves: the time from its join being
 *   confirmed to its leave, in whole seconds (rounded as call durations are), then rounded up to the minute
 *   per participation. A participant that never got into the bridge is 0.
 * - A RECORDING is metered the same way when it stops (recordings are built apart; see usage-sources.ts).
 */
export type UsageKind = 'call' | 'conference_participant' | 'recording';

export const SECONDS_PER_MINUTE = 60;

export function minutesRoundedUp(seconds: number): number {
  return Math.ceil(Math.max(0, seconds) / SECONDS_PER_MINUTE);
}

/** Whole seconds between two instants, as call durations count them; never negative. */
export function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

/** `YYYY-MM-DD` of an instant in UTC, whatever offset it was written with. */
export function utcDayOf(instant: string): string {
  return new Date(Date.parse(instant)).toISOString().slice(0, 10);
}
