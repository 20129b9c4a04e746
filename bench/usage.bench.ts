import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { callHistoryProjection } from '../src/calls/call-history/call-history.projection';
import type { RecordedEvent } from '../src/event-store/event-store';
import type { Projection } from '../src/projections/projection';
import type { ProjectionEngine } from '../src/projections/projection-engine';
import type { ReadModelDatabase } from '../src/projections/read-model-database';
import { usageProjection } from '../src/usage/usage.projection';
import { UsageQueries } from '../src/usage/usage.queries';

/**
 * `npm run bench:usage`: what the usage read model costs. (1) Its handler against call-history's over the
 * same events (BENCH_USAGE_CALLS calls, default 100,000, five events each, spread over 2026 and 50
 * tenants, 500 calls in progress at once), in transactions of 1,000 events into a read-model file, as the
 * engine applies them; the store is left out, so this is the projections' own cost. (2) GET /v1/usage's
 * query for one tenant's whole year, by day and by month.
 */
const CALLS = Number(process.env.BENCH_USAGE_CALLS ?? 100_000);
const CUSTOMERS = 50;
const CONCURRENT = 500;
const BATCH = 1_000;
const YEAR_MS = 365 * 86_400_000;

function callEvents(n: number): Omit<RecordedEvent, 'position'>[] {
  const callId = uuidv7();
  const customerId = `customer-${n % CUSTOMERS}`;
  const start = Date.UTC(2026, 0, 1) + Math.floor((n / CALLS) * (YEAR_MS - 3_600_000));
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  const talk = n % 7 === 0 ? 0 : 5 + (n % 600);
  const address = (target: string) => ({ type: 'tel', target, targetName: '', name: '', detail: '' });
  const event = (revision: number, type: string, data: Record<string, unknown>) => ({
    streamId: `call-${callId}`,
    revision: BigInt(revision),
    id: uuidv7(),
    type,
    data: { callId, ...data } as RecordedEvent['data'],
    metadata: { correlation_id: callId, causation_id: callId, customer_id: customerId, actor: 'key:k1' },
    created: new Date(start),
  });
  return [
    event(0, 'CallCreated', {
      customerId,
      type: 'voice',
      direction: n % 3 === 0 ? 'incoming' : 'outgoing',
      source: address('+15550100'),
      destination: address(`+1555${String(n % 10_000).padStart(4, '0')}`),
      contactId: null,
      userId: null,
      masterCallId: null,
      metadata: {},
      dialTimeoutSec: 60,
      maxDurationSec: 3600,
      agentId: null,
      phoneId: null,
      at: at(0),
    }),
    event(1, 'CallRinging', { signalId: uuidv7(), at: at(2) }),
    event(2, 'CallAnswered', { signalId: uuidv7(), at: at(5) }),
    event(3, 'CallHangupRequested', {
      status: 'terminating',
      hangupReason: 'normal',
      endTime: null,
      at: at(5 + talk),
    }),
    event(4, 'CallHungUp', {
      hangupBy: 'local',
      hangupReason: talk === 0 ? 'noanswer' : 'normal',
      rawCause: null,
      signal: 'hangup',
      signalId: uuidv7(),
      at: at(6 + talk),
      endTime: at(6 + talk),
      durationSec: talk,
      conference: null,
      chainedCallIds: [],
    }),
  ];
}

/** Five events per call, interleaved as CONCURRENT calls in progress would be in `$all`. */
function allEvents(): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let position = 0n;
  for (let first = 0; first < CALLS; first += CONCURRENT) {
    const group = Array.from({ length: Math.min(CONCURRENT, CALLS - first) }, (_, i) =>
      callEvents(first + i),
    );
    for (let step = 0; step < 5; step++)
      for (const call of group) events.push({ ...call[step]!, position: ++position } as RecordedEvent);
  }
  return events;
}

function apply(projection: Projection, events: RecordedEvent[], file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const tables = Object.fromEntries(projection.tables.map((t) => [t, `bench_${t}`]));
  const handler = db.transaction(() => projection.setup(db, tables))();
  const batch = db.transaction((slice: RecordedEvent[]) => {
    for (const event of slice) handler.handle(event);
  });
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < events.length; i += BATCH) batch(events.slice(i, i + BATCH));
  const used = process.cpuUsage(cpu);
  return {
    db,
    tables,
    seconds: Number(process.hrtime.bigint() - wall) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-usage-bench-'));
  try {
    const events = allEvents();
    const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');
    const results: Record<string, ReturnType<typeof apply>> = {};
    for (const projection of [callHistoryProjection, usageProjection] as Projection[]) {
      const result = apply(projection, events, path.join(dir, `${projection.name}.db`));
      results[projection.name] = result;
      console.log(
        `${projection.name}: ${events.length.toLocaleString('en-US')} events in ${result.seconds.toFixed(2)} s = ` +
          `${rate(events.length, result.seconds)} events/s wall, ${rate(events.length, result.cpuSeconds)} per CPU-second`,
      );
    }
    const usage = results.usage!;
    const queries = new UsageQueries(
      { tables: () => usage.tables } as unknown as ProjectionEngine,
      { connection: usage.db } as unknown as ReadModelDatabase,
    );
    for (const granularity of ['month', 'day', 'month', 'day'] as const) {
      const rounds = 200;
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      let calls = 0;
      for (let i = 0; i < rounds; i++)
        calls = queries.report(`customer-${i % CUSTOMERS}`, '2026-01-01', '2026-12-31', granularity).totals
          .calls;
      const used = process.cpuUsage(cpu);
      const ms = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
      const cpuMs = (used.user + used.system) / 1e3 / rounds;
      console.log(
        `GET /v1/usage query, one tenant's year by ${granularity}: ${ms.toFixed(2)} ms wall, ` +
          `${cpuMs.toFixed(2)} ms CPU (${calls} calls)`,
      );
    }
    const daily = usage.db.prepare('SELECT count(*) FROM bench_daily').pluck().get();
    console.log(`daily rows: ${daily} for ${CALLS.toLocaleString('en-US')} calls`);
    for (const result of Object.values(results)) result.db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
