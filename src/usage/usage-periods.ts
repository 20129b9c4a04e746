/**
 * The periods of a usage query, pure. A query names whole UTC days, `from` and `to` both included; its
 * periods are those days, or the calendar months they touch, each clipped to the range (so a month
 * that starts before `from` counts from `from` only, and its bucket says so in `start`).
 */
export type Granularity = 'day' | 'month';
export const GRANULARITIES: readonly Granularity[] = ['day', 'month'];

/** Longest query: 366 periods, whichever the granularity (a leap year by day, 30.5 years by month). */
export const MAX_PERIODS = 366;

export type Period = {
  /** `YYYY-MM-DD` for a day, `YYYY-MM` for a month: the key usage rows are grouped by. */
  key: string;
  /** First instant counted, inclusive. */
  start: string;
  /** First instant not counted. */
  end: string;
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Milliseconds of a `YYYY-MM-DD` UTC midnight, or null unless it is a real calendar date. */
export function parseUtcDate(value: string): number | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2026-02-30 over into March: a real date reads back as itself.
  return new Date(ms).toISOString().slice(0, 10) === value ? ms : null;
}

/** How many periods [from, to] spans; from and to are valid dates with from <= to. */
export function periodCount(from: string, to: string, granularity: Granularity): number {
  if (granularity === 'day') return (dateMs(to) - dateMs(from)) / DAY_MS + 1;
  const months = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  return months(to) - months(from) + 1;
}

export function periodsOf(from: string, to: string, granularity: Granularity): Period[] {
  const rangeStart = dateMs(from);
  const rangeEnd = dateMs(to) + DAY_MS;
  const periods: Period[] = [];
  let cursor = rangeStart;
  while (cursor < rangeEnd) {
    const day = new Date(cursor);
    const next =
      granularity === 'day' ? cursor + DAY_MS : Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1);
    const end = Math.min(next, rangeEnd);
    const iso = new Date(cursor).toISOString();
    periods.push({
      key: granularity === 'day' ? iso.slice(0, 10) : iso.slice(0, 7),
      start: iso,
      end: new Date(end).toISOString(),
    });
    cursor = end;
  }
  return periods;
}

function dateMs(date: string): number {
  const ms = parseUtcDate(date);
  if (ms === null) throw new Error(`not a date: ${date}`);
  return ms;
}
