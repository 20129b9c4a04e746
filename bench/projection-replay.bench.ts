import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { EventData, EventStore, RecordedEvent } from '../src/event-store/event-store';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import type { Projection, TableNames } from '../src/projections/projection';
import { ProjectionEngine } from '../src/projections/projection-engine';
import { ReadModelDatabase } from '../src/projections/read-model-database';
import { runBench } from './run-bench';

/**
 * Projection replay: N events in a SQLite event store file, then a simple projection (one guarded upsert per
 * event) rebuilt from the start into a read-model file through the real engine (subscription, batches,
 * transactional checkpoints). Environment: BENCH_REPLAY_EVENTS (default 500,000).
 *
 *   node -r @swc-node/register bench/projection-replay.bench.ts
 */
export const REPLAY_TARGET = 100_000;

const EVENTS_PER_STREAM = 10;
const STREAMS_PER_ROUND = 100;

export interface ReplayBenchRow {
  scenario: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/** One row per call, as a call-history read model keeps it; guarded by revision like real projections. */
const latestStatus: Projection<'calls'> = {
  name: 'bench-latest-status',
  version: 1,
  tables: ['calls'],
  setup(db: Database.Database, t: TableNames<'calls'>) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${t.calls} (
      call_id TEXT PRIMARY KEY, status TEXT NOT NULL, revision INTEGER NOT NULL, updated_at TEXT NOT NULL)`);
    const upsert = db.prepare(
      `INSERT INTO ${t.calls} (call_id, status, revision, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (call_id) DO UPDATE SET status = excluded.status, revision = excluded.revision,
         updated_at = excluded.updated_at WHERE excluded.revision > ${t.calls}.revision`,
    );
    return {
      handle(event: RecordedEvent) {
        if (event.type !== 'CallStatusChanged') return;
        upsert.run(event.streamId, String(event.data.status), event.revision, event.created.toISOString());
      },
    };
  },
};

async function seed(store: EventStore, total: number): Promise<void> {
  const metadata = {
    correlation_id: uuidv7(),
    causation_id: uuidv7(),
    customer_id: uuidv7(),
    actor: 'bench',
  };
  const statuses = ['dialing', 'ringing', 'progressing', 'answered', 'hangup'];
  for (let written = 0; written < total; ) {
    const round: Promise<unknown>[] = [];
    for (let s = 0; s < STREAMS_PER_ROUND && written < total; s++) {
      const count = Math.min(EVENTS_PER_STREAM, total - written);
      const events: EventData[] = Array.from({ length: count }, (_, i) => ({
        id: uuidv7(),
        type: 'CallStatusChanged',
        data: { status: statuses[i % statuses.length], reason: 'normal' },
        metadata,
      }));
      round.push(store.appendToStream(`call-${uuidv7()}`, events, { expectedRevision: 'no_stream' }));
      written += count;
    }
    await Promise.all(round);
  }
}

export async function runProjectionReplayBench(total: number, dir: string): Promise<ReplayBenchRow> {
  const store = new SqliteEventStore({ filename: path.join(dir, 'events.db'), synchronous: 'NORMAL' });
  const readModels = new ReadModelDatabase(path.join(dir, 'read-models.db'));
  const engine = new ProjectionEngine(store, readModels);
  try {
    await seed(store, total);
    const head = (await store.headPosition())!;
    engine.register(latestStatus);
    const started = process.hrtime.bigint();
    engine.start();
    const reached = await engine.waitForPosition(head, { timeoutMs: 10 * 60_000 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (!reached) throw new Error(`replay did not reach position ${head}`);
    const rows = readModels.connection.prepare(
      `SELECT count(*) FROM ${engine.tables('bench-latest-status').calls}`,
    );
    const expected = Math.ceil(total / EVENTS_PER_STREAM);
    if (rows.pluck().get() !== expected) throw new Error('read model does not hold one row per call');
    return {
      scenario: 'projection replay (file → file)',
      events: total,
      seconds,
      eventsPerSecond: total / seconds,
    };
  } finally {
    await engine.stop();
    await readModels.close();
    await store.close();
  }
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_REPLAY_EVENTS ?? 500_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-replay-bench-'));
  try {
    const row = await runProjectionReplayBench(total, dir);
    const rate = Math.round(row.eventsPerSecond).toLocaleString('en-US');
    const verdict = row.eventsPerSecond >= REPLAY_TARGET ? 'meets' : 'MISSES';
    console.log(
      `${row.scenario}: ${row.events.toLocaleString('en-US')} events in ${row.seconds.toFixed(2)} s = ` +
        `${rate} events/s (${verdict} target ${REPLAY_TARGET.toLocaleString('en-US')}/s)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runBench(main);
}
