import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { CALL_HISTORY, callHistoryProjection } from '../src/calls/call-history/call-history.projection';
import type { EventStore } from '../src/event-store/event-store';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine, type ProjectionEngineOptions } from '../src/projections/projection-engine';
import { ReadModelDatabase } from '../src/projections/read-model-database';
import { SharedAllFeed } from '../src/subscriptions/shared-feed';
import { pinToCores, quietLogger, runOnScratchStore, seedCalls } from './catchup-bench-lib';

/**
 * `npm run bench:catchup`: rebuilding the call-history read model from the SQLite log through the
 * projection runtime itself (engine, runner, shared feed), into a fresh read-model file: with the catch-up
 * mode and, for comparison in the same run, without it (`catchUp: false`). BENCH_CATCHUP_CALLS calls (default 200,000;
 * 1,000,000 for the figure), each its typical five events: created, ringing, answered (progressing),
 * hangup requested (terminating), hung up. Rates are per wall second and per CPU second (steadier on a
 * shared machine); the process is pinned to core 0 (BENCH_CATCHUP_CPUS) when taskset exists.
 */
export const CATCHUP_CALLS_TARGET = 50_000;

interface RebuildResult {
  label: string;
  seconds: number;
  cpuSeconds: number;
  rows: number;
  /** Digest of every row, to show both modes build the same read model. */
  digest: string;
  /** Seconds from the start until the WAL was in the file, when a worker checkpoints it. */
  walSettledSeconds: number | null;
}

/**
 * The runtime's own path, as the app runs it: a `ProjectionEngine` on a fresh read-model file, fed through
 * the process's `SharedAllFeed`, until the build reports `live`. `catchUp: false` is the engine without its
 * catch-up mode (every transaction like the live path), for the A/B in one run.
 */
async function rebuild(
  store: EventStore,
  dir: string,
  label: string,
  catchUp: ProjectionEngineOptions['catchUp'],
): Promise<RebuildResult> {
  const readModels = new ReadModelDatabase(path.join(dir, `read-models-${label.replace(/\W+/g, '-')}.db`));
  const feed = new SharedAllFeed(store);
  const engine = new ProjectionEngine(store, readModels, {
    source: feed,
    logger: quietLogger,
    catchUp,
  });
  engine.register(callHistoryProjection);
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  engine.start();
  for (;;) {
    const [status] = await engine.status();
    if (status.state === 'live') break;
    if (status.state === 'failed') throw new Error(`rebuild failed: ${status.error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const walSettledSeconds = await walInFile(readModels);
  const settled = walSettledSeconds === null ? null : seconds + walSettledSeconds;
  await engine.stop();
  await feed.stop();
  const table = engine.tables(CALL_HISTORY).calls;
  const db = readModels.connection;
  const rows = db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const hash = createHash('sha256');
  const columns =
    'call_id, customer_id, created, status, type, direction, contact_id, user_id, hangup_reason, revision, state';
  for (const row of db.prepare(`SELECT ${columns} FROM ${table} ORDER BY call_id`).raw().iterate()) {
    hash.update(JSON.stringify(row));
  }
  const indexes = db
    .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
    .pluck()
    .get(table) as number;
  await readModels.close();
  return {
    label,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    rows,
    digest: `${hash.digest('hex').slice(0, 12)}, ${indexes} indexes`,
    walSettledSeconds: settled,
  };
}

/**
 * Seconds from `live` until the worker has copied the whole WAL into the file (null: the connection
 * checkpoints by itself, inside the measured time). Ready does not wait for it, but on one core it is
 * time the rebuild still takes from the same CPU.
 */
async function walInFile(readModels: ReadModelDatabase): Promise<number | null> {
  const checkpointer = readModels.checkpointer;
  if (!checkpointer) return null;
  const start = process.hrtime.bigint();
  const before = checkpointer.status().checkpoints;
  for (;;) {
    const { checkpoints, last } = checkpointer.status();
    if (checkpoints > before && last && last.checkpointed === last.log) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The floor: reading and decoding `$all` alone, in the feed's page size. */
async function readOnly(store: EventStore): Promise<{ events: number; seconds: number; cpuSeconds: number }> {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let events = 0;
  for await (const _ of store.readAll()) events++;
  const used = process.cpuUsage(cpu);
  return {
    events,
    seconds: Number(process.hrtime.bigint() - wall) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

async function main(store: SqliteEventStore, dir: string): Promise<void> {
  const calls = Number(process.env.BENCH_CATCHUP_CALLS ?? 200_000);
  // "after" alone: BENCH_CATCHUP_AB=0 (the "before" mode takes several times longer).
  const ab = process.env.BENCH_CATCHUP_AB !== '0';
  const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
  const seeded = process.hrtime.bigint();
  await seedCalls(store, calls);
  const seedSeconds = Number(process.hrtime.bigint() - seeded) / 1e9;
  console.error(`seeded ${calls.toLocaleString('en-US')} calls in ${seedSeconds.toFixed(1)} s`);
  const read = await readOnly(store);
  console.log(
    `readAll alone: ${read.events.toLocaleString('en-US')} events in ${read.seconds.toFixed(2)} s = ` +
      `${rate(read.events, read.seconds)} events/s wall, ${rate(read.events, read.cpuSeconds)} per CPU-second`,
  );
  const results: RebuildResult[] = [];
  results.push(await rebuild(store, dir, 'catch-up mode', {}));
  if (process.env.BENCH_CATCHUP_INDEXES_AB === '1') {
    const always = { deferIndexesAbove: Number.MAX_SAFE_INTEGER };
    results.push(await rebuild(store, dir, 'catch-up mode, indexes not deferred', always));
  }
  if (ab) results.push(await rebuild(store, dir, 'catchUp: false', false));
  for (const result of results) {
    if (result.rows !== calls) throw new Error(`${result.label}: ${result.rows} calls, expected ${calls}`);
    const verdict = calls / result.seconds >= CATCHUP_CALLS_TARGET ? 'meets' : 'MISSES';
    console.log(
      `call-history rebuild from SQLite [${result.label}]: ` +
        `${calls.toLocaleString('en-US')} calls (${(calls * 5).toLocaleString('en-US')} events) in ` +
        `${result.seconds.toFixed(2)} s = ${rate(calls, result.seconds)} calls/s wall ` +
        `(${verdict} ${CATCHUP_CALLS_TARGET.toLocaleString('en-US')} calls/s); ` +
        `${rate(calls, result.cpuSeconds)} calls per CPU-second (${result.cpuSeconds.toFixed(2)} s CPU); ` +
        `rows ${result.digest}` +
        (result.walSettledSeconds === null
          ? ''
          : `; WAL in the file after ${result.walSettledSeconds.toFixed(2)} s`),
    );
  }
  if (results.length === 2 && results[0].digest !== results[1].digest)
    throw new Error('the two modes differ');
}

const cpus = process.env.BENCH_CATCHUP_CPUS ?? '0';
// The whole process, worker threads included: `0,1` lets the read-model and event-store WAL
// checkpointers run beside the rebuild, as in the server.
if (pinToCores(cpus)) console.log(`pinned to cores ${cpus}`);
runOnScratchStore('switchboard-catchup-bench-', main);
