import { execFileSync } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import { EsdbEventStore } from '../src/event-store/esdb/esdb-event-store';
import type { EventData, EventStore, SubscribeToAllOptions } from '../src/event-store/event-store';
import { SharedAllFeed } from '../src/subscriptions/shared-feed';
import { startServer, stopServer } from './http-bench-lib';
import { runBench } from './run-bench';

/**
 * `npm run bench:catchup:esdb-fake`: how fast a read model catches up through the EventStoreDB adapter,
 * against the gRPC wire FAKE (not EventStoreDB: an in-memory stand-in, so read the figures as the
 * adapter's and the client's cost, never as a database's). The fake runs in its own process pinned to
 * core 1 and this one on core 0 (`taskset`), as a real server would run apart from its client.
 *
 * Seeds BENCH_CATCHUP_EVENTS events (default 100,000): call streams of five events (created, ringing,
 * answered, hangup requested, hung up) and, for every call, one conference event a call filter must skip.
 * Then reads them back as a catch-up would: `readAll`, an unfiltered `subscribeToAll` from the start, and
 * a filtered one (call streams only, server-side), each until the head.
 */
export const CATCHUP_TARGET = 20_000;

const CALL_EVENT_TYPES = ['CallCreated', 'CallRinging', 'CallAnswered', 'CallHangupRequested', 'CallHungUp'];
const CONCURRENT_APPENDS = 50;

interface Row {
  scenario: string;
  delivered: number;
  scanned: number;
  seconds: number;
  /** CPU time of this process (adapter, client AND fake): on a shared machine, steadier than wall time. */
  cpuSeconds: number;
}

interface Clock {
  wall: bigint;
  cpu: NodeJS.CpuUsage;
}

function startClock(): Clock {
  return { wall: process.hrtime.bigint(), cpu: process.cpuUsage() };
}

function elapsed(clock: Clock): { seconds: number; cpuSeconds: number } {
  const cpu = process.cpuUsage(clock.cpu);
  return { seconds: since(clock.wall), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function metadata(): EventData['metadata'] {
  const id = uuidv7();
  return { correlation_id: id, causation_id: id, customer_id: 'bench-customer', actor: 'system:bench' };
}

async function seed(store: EventStore, total: number): Promise<number> {
  const perCall = CALL_EVENT_TYPES.length + 1;
  const calls = Math.ceil(total / perCall);
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next += 1;
      const callId = uuidv7();
      const events = CALL_EVENT_TYPES.map((type) => ({
        id: uuidv7(),
        type,
        data: { callId, at: '2026-01-01T00:00:00.000Z', status: type },
        metadata: metadata(),
      }));
      await store.appendToStream(`call-${callId}`, events, { expectedRevision: 'no_stream' });
      const noise = { id: uuidv7(), type: 'ConferenceUpdated', data: { name: 'x' }, metadata: metadata() };
      await store.appendToStream(`conference-${uuidv7()}`, [noise], { expectedRevision: 'no_stream' });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_APPENDS }, worker));
  return calls * perCall;
}

async function timeReadAll(store: EventStore, total: number): Promise<Row> {
  const clock = startClock();
  let delivered = 0;
  for await (const _event of store.readAll()) delivered += 1;
  return { scenario: 'readAll from start', delivered, scanned: total, ...elapsed(clock) };
}

async function timeSubscription(
  store: EventStore,
  scenario: string,
  options: SubscribeToAllOptions,
  head: bigint,
  total: number,
  expected: number,
): Promise<Row> {
  const clock = startClock();
  const subscription = store.subscribeToAll(options);
  let delivered = 0;
  for await (const event of subscription) {
    delivered += 1;
    if (delivered === expected || event.position >= head) break;
  }
  await subscription.unsubscribe();
  return { scenario, delivered, scanned: total, ...elapsed(clock) };
}

/**
 * The app's path: read models catching up through the process's `SharedAllFeed` (pages of its `pageSize`
 * through `readAll`, shared by consumers that read the same history). `consumers` consumers from the start,
 * each until the head; `scanned` counts `$all` once, `delivered` every consumer's events.
 */
async function timeSharedFeed(
  store: EventStore,
  consumers: number,
  head: bigint,
  total: number,
  sharedPages?: number,
): Promise<Row> {
  const feed = new SharedAllFeed(store, { sharedPages });
  const clock = startClock();
  const one = async () => {
    const subscription = feed.subscribeToAll({ fromPosition: 'start' });
    let delivered = 0;
    for await (const event of subscription) {
      delivered += 1;
      if (event.position >= head) break;
    }
    await subscription.unsubscribe();
    return delivered;
  };
  const counts = await Promise.all(Array.from({ length: consumers }, one));
  const timing = elapsed(clock);
  await feed.stop();
  const delivered = counts.reduce((a, b) => a + b, 0);
  const sharing = sharedPages === 0 ? ', pages not shared' : '';
  const scenario = `SharedAllFeed, ${consumers} consumers from start${sharing}`;
  return { scenario, delivered, scanned: total, ...timing };
}

function since(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function format(row: Row): string {
  const rate = (n: number, s: number) =>
    Math.round(n / s)
      .toLocaleString('en-US')
      .padStart(7);
  const verdict = row.scanned / row.seconds >= CATCHUP_TARGET ? 'meets' : 'MISSES';
  return (
    `${row.scenario.padEnd(44)} ${row.delivered.toLocaleString('en-US').padStart(9)} delivered in ` +
    `${row.seconds.toFixed(2)} s: ${rate(row.scanned, row.seconds)} $all events/s wall ` +
    `(${verdict} ${CATCHUP_TARGET.toLocaleString('en-US')}/s), ${rate(row.delivered, row.seconds)} delivered/s; ` +
    `${rate(row.scanned, row.cpuSeconds)} $all events per CPU-second`
  );
}

/** A port the fake can listen on: ask the OS for a free one, then hand it over. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** All threads of `pid` onto one core, when taskset exists (Linux); otherwise unpinned. */
function pin(pid: number, core: string): void {
  try {
    execFileSync('taskset', ['-a', '-pc', core, String(pid)], { stdio: 'ignore' });
  } catch {
    console.error(`taskset unavailable: process ${pid} is not pinned`);
  }
}

async function main(): Promise<void> {
  const requested = Number(process.env.BENCH_CATCHUP_EVENTS ?? 100_000);
  pin(process.pid, '0');
  const port = await freePort();
  const fake = await startServer('bench/servers/esdb-wire-fake.server.ts', { FAKE_PORT: String(port) });
  pin(fake.pid!, '1');
  const store = EsdbEventStore.fromConnectionString(`esdb://127.0.0.1:${port}?tls=false`);
  try {
    const seedStarted = process.hrtime.bigint();
    const total = await seed(store, requested);
    console.error(`seeded ${total.toLocaleString('en-US')} events in ${since(seedStarted).toFixed(1)} s`);
    const head = (await store.headPosition())!;
    const calls = (total / (CALL_EVENT_TYPES.length + 1)) * CALL_EVENT_TYPES.length;
    const rows = [
      await timeReadAll(store, total),
      await timeSubscription(store, 'subscribeToAll from start, no filter', {}, head, total, total),
      await timeSubscription(
        store,
        'subscribeToAll from start, call- streams only',
        { filter: { streamPrefixes: ['call-'] } },
        head,
        total,
        calls,
      ),
      await timeSubscription(
        store,
        'subscribeToAll from start, CallHungUp only',
        { filter: { streamPrefixes: ['call-'], eventTypes: ['CallHungUp'] } },
        head,
        total,
        total / (CALL_EVENT_TYPES.length + 1),
      ),
      await timeSharedFeed(store, 1, head, total),
      await timeSharedFeed(store, 6, head, total),
      await timeSharedFeed(store, 6, head, total, 0),
    ];
    console.log('EventStoreDB adapter (core 0) → wire FAKE (own process, core 1), catch-up:');
    for (const row of rows) console.log(format(row));
  } finally {
    await store.close();
    await stopServer(fake);
  }
}

runBench(main);
