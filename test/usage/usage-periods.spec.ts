import { minutesRoundedUp, utcDayOf } from '../../src/usage/usage-metering';
import { MAX_PERIODS, parseUtcDate, periodCount, periodsOf } from '../../src/usage/usage-periods';

describe('usage periods', () => {
  it('accepts only real calendar dates', () => {
    expect(parseUtcDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', 'yesterday', ''])
      expect(parseUtcDate(bad)).toBeNull();
  });

  it('by day: every day of the range, both ends included', () => {
    expect(periodsOf('2026-01-30', '2026-02-01', 'day')).toEqual([
      { key: '2026-01-30', start: '2026-01-30T00:00:00.000Z', end: '2026-01-31T00:00:00.000Z' },
      { key: '2026-01-31', start: '2026-01-31T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z' },
      { key: '2026-02-01', start: '2026-02-01T00:00:00.000Z', end: '2026-02-02T00:00:00.000Z' },
    ]);
    expect(periodCount('2024-01-01', '2024-12-31', 'day')).toBe(366);
  });

  it('by month: every month touched, clipped to the range', () => {
    expect(periodsOf('2026-01-15', '2026-03-10', 'month')).toEqual([
      { key: '2026-01', start: '2026-01-15T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z' },
      { key: '2026-02', start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T00:00:00.000Z' },
      { key: '2026-03', start: '2026-03-01T00:00:00.000Z', end: '2026-03-11T00:00:00.000Z' },
    ]);
    expect(periodCount('2025-12-31', '2026-01-01', 'month')).toBe(2);
    expect(periodsOf('2000-01-01', '2030-06-30', 'month')).toHaveLength(MAX_PERIODS);
  });

  it('rounds minutes up per item and reads days in UTC', () => {
    expect([0, 1, 59, 60, 61, 3600].map(minutesRoundedUp)).toEqual([0, 1, 1, 1, 2, 60]);
    expect(utcDayOf('2026-03-01T23:30:00-01:00')).toBe('2026-03-02');
  });
});
