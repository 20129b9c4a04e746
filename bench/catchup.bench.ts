import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { callHistoryProjection } from '../src/calls/call-history/call-history.projection';
import type { EventData, EventStore } from '../src/event-store/event-store';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';

/**
 * `npm run bench:catchup`: rebuilding the call-history read model from the SQLite log, as the projection
 * runtime will do it: events from the store's `readAll`, applied by the projection's own handler in
 * transactions of 1,000 events, into a fresh read-model file. BENCH_CATCHUP_CALLS calls (default 200,000;
 * 1,000,000 for the figure), each its typical five events: created, ringing, answered (progressing),
 * hangup requested (terminating), hung up. Rates are per wall second and per CPU second (steadier on a
 * shared machine); the store is pinned to core 0 when taskset exists.
 */
export const CATCHUP_CALLS_TARGET = 50_000;

const BATCH_EVENTS = 1_000;
const CONCURRENT_CALLS = 500;
const CUSTOMERS = Number(process.env.BENCH_CATCHUP_CUSTOMERS ?? 50);

function callEvents(callId: string, n: number): EventData[] {
  const customerId = `customer-${n % CUSTOMERS}`;
  const at = new Date(Date.UTC(2026, 0, 1) + n * 37).toISOString();
  const metadata = { correlation_id: callId, causation_id: callId, customer_id: customerId, actor: 'key:k1' };
  const event = (type: string, data: EventData['data']): EventData => ({
    id: uuidv7(),
    type,
    data: { callId, at, ...data },
    metadata,
  });
  const address = (target: string) => ({ type: 'tel', target, targetName: '', name: '', detail: '' });
  return [
    event('CallCreated', {
      customerId,
      type: 'voice',
      direction: 'outgoing',
      source: address('+15550100'),
      destination: address(`+1555${String(n % 10_000).padStart(4, '0')}`),
      contactId: `contact-${n % 1_000}`,
      userId: `user-${n % 200}`,
      masterCallId: null,
      metadata: {},
      dialTimeoutSec: 60,
      maxDurationSec: 3600,
    }),
    event('CallRinging', { signalId: uuidv7() }),
    event('CallAnswered', { signalId: uuidv7() }),
    event('CallHangupRequested', {
      status: 'terminating',
      hangupReason: 'normal',
      endTime: null,
    }),
    event('CallHungUp', {
      hangupBy: 'local',
      hangupReason: 'normal',
      rawCause: null,
      signal: 'hangup',
      signalId: uuidv7(),
      endTime: at,
      durationSec: 42,
      conference: null,
      chainedCallIds: [],
    }),
  ];
}

/**
 * Calls overlap as in a live system: CONCURRENT_CALLS calls are in progress at once, and each append is
 * one event of one of them, so a call's five events are spread over `$all` (and over batches) instead of
 * sitting side by side.
 */
async function seed(store: EventStore, calls: number): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      const n = started++;
      const callId = uuidv7();
      const stream = `call-${callId}`;
      const events = callEvents(callId, n);
      for (let revision = 0; revision < events.length; revision++) {
        const expectedRevision = revision === 0 ? 'no_stream' : BigInt(revision - 1);
        await store.appendToStream(stream, [events[revision]!], { expectedRevision });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_CALLS }, worker));
}

interface RebuildResult {
  events: number;
  seconds: number;
  cpuSeconds: number;
  rows: number;
}

async function rebuild(store: EventStore, filename: string): Promise<RebuildResult> {
  const db = new Database(filename);
  // As ReadModelDatabase opens the read-model file.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const tables = { calls: 'call_history_bench_calls' };
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const handler = db.transaction(() => callHistoryProjection.setup(db, tables))();
  const split = { read: 0n, handle: 0n, commit: 0n };
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  let events = 0;
  let batch: Parameters<typeof handler.handle>[0][] = [];
  // BEGIN, the handler for each event, COMMIT: what the runtime's batch transaction does, timed apart.
  const apply = () => {
    const started = process.hrtime.bigint();
    begin.run();
    for (const event of batch) handler.handle(event);
    const handled = process.hrtime.bigint();
    commit.run();
    split.handle += handled - started;
    split.commit += process.hrtime.bigint() - handled;
    events += batch.length;
    batch = [];
  };
  let reading = process.hrtime.bigint();
  for await (const event of store.readAll()) {
    batch.push(event);
    if (batch.length === BATCH_EVENTS) {
      split.read += process.hrtime.bigint() - reading;
      apply();
      reading = process.hrtime.bigint();
    }
  }
  split.read += process.hrtime.bigint() - reading;
  apply();
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const rows = db.prepare(`SELECT count(*) FROM ${tables.calls}`).pluck().get() as number;
  db.close();
  const part = (ns: bigint) => (Number(ns) / 1e9).toFixed(2);
  console.error(
    `wall split: readAll ${part(split.read)} s, handlers ${part(split.handle)} s, commits ${part(split.commit)} s`,
  );
  return { events, seconds, cpuSeconds: (used.user + used.system) / 1e6, rows };
}

function pinToCore0(): void {
  try {
    require('node:child_process').execFileSync('taskset', ['-a', '-pc', '0', String(process.pid)], {
      stdio: 'ignore',
    });
  } catch {
    console.error('taskset unavailable: not pinned');
  }
}

async function main(): Promise<void> {
  const calls = Number(process.env.BENCH_CATCHUP_CALLS ?? 200_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-catchup-bench-'));
  pinToCore0();
  const store = new SqliteEventStore({ filename: path.join(dir, 'events.db'), synchronous: 'NORMAL' });
  try {
    const seeded = process.hrtime.bigint();
    await seed(store, calls);
    const seedSeconds = Number(process.hrtime.bigint() - seeded) / 1e9;
    console.error(`seeded ${calls.toLocaleString('en-US')} calls in ${seedSeconds.toFixed(1)} s`);
    const result = await rebuild(store, path.join(dir, 'read-models.db'));
    if (result.rows !== calls) throw new Error(`read model holds ${result.rows} calls, expected ${calls}`);
    const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
    const verdict = calls / result.seconds >= CATCHUP_CALLS_TARGET ? 'meets' : 'MISSES';
    console.log(
      `call-history rebuild from SQLite: ${calls.toLocaleString('en-US')} calls ` +
        `(${result.events.toLocaleString('en-US')} events) in ${result.seconds.toFixed(2)} s = ` +
        `${rate(calls, result.seconds)} calls/s, ${rate(result.events, result.seconds)} events/s wall ` +
        `(${verdict} ${CATCHUP_CALLS_TARGET.toLocaleString('en-US')} calls/s); ` +
        `${rate(calls, result.cpuSeconds)} calls per CPU-second (${result.cpuSeconds.toFixed(2)} s CPU)`,
    );
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
