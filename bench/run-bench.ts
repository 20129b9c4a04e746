/**
 * Runs a bench's (or a bench server's) `main`: a failure prints its stack and exits 1, so the `npm run
 * bench:*` script fails instead of leaving a rejected promise behind.
 */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
