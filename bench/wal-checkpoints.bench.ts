import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { runBench } from './run-bench';

/**
 * `npm run bench:wal-checkpoints`: what the WAL checkpoint costs the event loop. BENCH_APPENDERS (default
 * 50) closed-loop appenders write to 10,000 streams for BENCH_SECONDS (default 15) into a fresh store on
 * disk, once with checkpoints in the store's worker thread (`walCheckpoints: 'worker'`, the default) and
 * once with SQLite's auto-checkpoint inside the commit (`'connection'`), alternated BENCH_ROUNDS times
 * (default 2). Prints appends/s and the event-loop delay percentiles (`monitorEventLoopDelay`, 1 ms
 * resolution). The whole process, worker included, is pinned to core 0 (`taskset -c 0` in the script), so
 * the worker takes time from the same core: what moves is when the loop waits, not how much CPU is spent.
 */
const METADATA = {
  correlation_id: 'bench',
  causation_id: 'bench',
  customer_id: 'bench',
  actor: 'system:bench',
};

async function run(mode: 'worker' | 'connection', dir: string, seconds: number, appenders: number) {
  const filename = path.join(dir, `events-${mode}-${Date.now()}.db`);
  const store = new SqliteEventStore({ filename, walCheckpoints: mode });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const data = { text: 'x'.repeat(400) };
  const end = Date.now() + seconds * 1000;
  let appends = 0;
  delay.enable();
  await Promise.all(
    Array.from({ length: appenders }, async (_, worker) => {
      for (let i = 0; Date.now() < end; i++) {
        const stream = `call-${worker}-${i % 200}`;
        await store.appendToStream(stream, [{ id: uuidv7(), type: 'BenchEvent', data, metadata: METADATA }], {
          expectedRevision: 'any',
        });
        appends++;
      }
    }),
  );
  delay.disable();
  const checkpoints = store.walCheckpointStatus()?.checkpoints ?? 0;
  await store.close();
  const ms = (nanoseconds: number) => (nanoseconds / 1e6).toFixed(1);
  console.log(
    `checkpoints in the ${mode === 'worker' ? 'worker thread' : 'commit (SQLite auto)'}: ` +
      `${Math.round(appends / seconds).toLocaleString('en-US')} appends/s; event-loop delay ` +
      `p50 ${ms(delay.percentile(50))}, p99 ${ms(delay.percentile(99))}, p99.9 ${ms(delay.percentile(99.9))}, ` +
      `max ${ms(delay.max)} ms${mode === 'worker' ? `; ${checkpoints} checkpoints` : ''}`,
  );
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 15);
  const appenders = Number(process.env.BENCH_APPENDERS ?? 50);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-wal-checkpoints-'));
  try {
    for (let round = 0; round < rounds; round++) {
      await run('connection', dir, seconds, appenders);
      await run('worker', dir, seconds, appenders);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
