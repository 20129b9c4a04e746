import { plusSeconds } from '../../src/domain/instants';

describe('plusSeconds', () => {
  it('moves an instant later across a day and a year, keeping milliseconds', () => {
    expect(plusSeconds('2026-12-31T23:59:59.250Z', 1)).toBe('2027-01-01T00:00:00.250Z');
  });

  it('reads an offset instant and answers in UTC', () => {
    expect(plusSeconds('2026-03-01T10:00:00.000+07:00', 3600)).toBe('2026-03-01T04:00:00.000Z');
  });

  it('leaves the instant where it is for zero seconds', () => {
    expect(plusSeconds('2026-03-01T10:00:00.000Z', 0)).toBe('2026-03-01T10:00:00.000Z');
  });
});
