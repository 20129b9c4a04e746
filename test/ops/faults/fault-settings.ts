/** Sizes of the fault runs: short in `npm test`, long via env (`npm run test:faults` sets bigger ones). */
export const FAULTS = {
  cycles: Number(process.env.FAULT_CYCLES ?? 2),
  clients: Number(process.env.FAULT_CLIENTS ?? 8),
  /** Load time before each kill (randomised between half and all of it, so kills land anywhere). */
  loadMs: Number(process.env.FAULT_LOAD_MS ?? 1_000),
  /** Fail (instead of only reporting) when an idempotent retry created a second call. */
  strictIdempotency: process.env.FAULT_STRICT_IDEMPOTENCY === '1',
  /** How long a retry keeps trying while its key answers 409 idempotency.in_progress. */
  retryWaitMs: Number(process.env.FAULT_RETRY_WAIT_MS ?? 5_000),
};

/** One line of figures per scenario, on stdout (docs/RELIABILITY.md quotes them). */
export function reportFigures(scenario: string, figures: Record<string, unknown>): void {
  process.stdout.write(`faults ${scenario}: ${JSON.stringify(figures)}\n`);
}
