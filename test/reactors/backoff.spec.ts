import { backoffDelay } from '../../src/reactors/backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 1_000 };

  it('doubles per attempt between half and all of the exponential delay', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options, () => 0))).toEqual([
      50, 100, 200, 400,
    ]);
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('is capped, however many attempts failed', () => {
    expect(backoffDelay(50, options, () => 1)).toBe(1_000);
    expect(backoffDelay(50, options, () => 0)).toBe(500);
  });
});
