import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { runBench } from './run-bench';
import { formatStoreBenchTable, runStoreBench } from './store-bench-lib';

/**
 * `npm run bench:store`: the embedded SQLite store on disk (tmp dir), synchronous=FULL, as in production.
 * Environment: BENCH_APPEND_MS (per append scenario, default 3000), BENCH_READ_EVENTS (default 1,000,000).
 */
export const STORE_TARGETS = {
  'append, 100 concurrent single-event appenders, 10 events per stream': 60_000,
  readAll: 300_000,
};

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-store-bench-'));
  let opened = 0;
  try {
    const rows = await runStoreBench(
      'SQLite (disk, FULL)',
      async () =>
        new SqliteEventStore({ filename: path.join(dir, `events-${opened++}.db`), synchronous: 'FULL' }),
      {
        appendDurationMs: Number(process.env.BENCH_APPEND_MS ?? 3000),
        readAllEvents: Number(process.env.BENCH_READ_EVENTS ?? 1_000_000),
      },
    );
    console.log(`\n${formatStoreBenchTable(rows, STORE_TARGETS)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runBench(main);
}
