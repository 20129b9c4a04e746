/**
 * Bounds of the conference fields a client sets (create and update alike). Without them a timeout of 1e13
 * seconds overflowed the due date (a 500) and 1e300 participants was stored as given.
 */
/** 30 days: longer than any call may last (a call's max_duration_sec is at most a day). */
export const MAX_CONFERENCE_TIMEOUT_SEC = 30 * 24 * 3600;
/** Far above what one media server mixes; a bound for the number, not a product limit one meets. */
export const MAX_CONFERENCE_PARTICIPANTS = 10_000;
