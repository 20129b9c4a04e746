import { v7 as uuidv7 } from 'uuid';
import type { EventData, EventStore, ExpectedRevision } from '../src/event-store/event-store';

/**
 * An adapter-agnostic event store benchmark: append throughput with N concurrent single-event appenders
 * (each on its own stream, with exact expected revisions, as command handlers append) and `$all` read
 * throughput. Any adapter that implements the port can be measured with the same numbers.
 */

export interface StoreBenchOptions {
  /** Concurrent appenders per append scenario. Default 1, 10 and 100. */
  concurrencies?: number[];
  /** How long each append scenario runs. Default 3 s. */
  appendDurationMs?: number;
  /** Events to seed and read back through readAll. Default 1,000,000; use fewer for slow adapters. */
  readAllEvents?: number;
  /**
   * Each appender moves on to a new stream after this many events, like a call that lives for a few events.
   * Default 10. Stream ids are time-ordered (UUIDv7), so new streams' index entries land side by side.
   */
  eventsPerStream?: number;
  /** Also measure 100 appenders that each hammer one long-lived stream (the index's worst case). Default true. */
  hotStreams?: boolean;
  /** Events per append while seeding the read scenario. Default 1000. */
  seedBatchSize?: number;
  /** Printed after each row as it completes (default: stderr), so a long run shows progress. */
  progress?: (line: string) => void;
}

export interface StoreBenchRow {
  store: string;
  scenario: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export async function runStoreBench(
  name: string,
  create: () => Promise<EventStore>,
  options: StoreBenchOptions = {},
): Promise<StoreBenchRow[]> {
  const concurrencies = options.concurrencies ?? [1, 10, 100];
  const duration = options.appendDurationMs ?? 3000;
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rows: StoreBenchRow[] = [];

  const perStream = options.eventsPerStream ?? 10;
  const scenarios = concurrencies.map((concurrency) => ({ concurrency, perStream }));
  if (options.hotStreams ?? true) scenarios.push({ concurrency: 100, perStream: Number.POSITIVE_INFINITY });
  for (const scenario of scenarios) {
    const store = await create();
    try {
      const row = await measureAppends(name, store, scenario.concurrency, scenario.perStream, duration);
      rows.push(row);
      progress(formatRow(row));
    } finally {
      await store.close();
    }
  }

  const total = options.readAllEvents ?? 1_000_000;
  if (total > 0) {
    const store = await create();
    try {
      await seed(store, total, options.seedBatchSize ?? 1000);
      const row = await measureReadAll(name, store, total);
      rows.push(row);
      progress(formatRow(row));
    } finally {
      await store.close();
    }
  }
  return rows;
}

async function measureAppends(
  name: string,
  store: EventStore,
  concurrency: number,
  perStream: number,
  durationMs: number,
): Promise<StoreBenchRow> {
  // A short warm-up so statement preparation and JIT do not count.
  await appendLoop(store, concurrency, perStream, Date.now() + 200);
  const started = process.hrtime.bigint();
  const events = await appendLoop(store, concurrency, perStream, Date.now() + durationMs);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const streams = Number.isFinite(perStream)
    ? `${perStream} events per stream`
    : 'one long-lived stream each';
  return row(name, `append, ${concurrency} concurrent single-event appenders, ${streams}`, events, seconds);
}

/** Each appender appends one event at a time at the exact expected revision, as a command handler does. */
async function appendLoop(
  store: EventStore,
  concurrency: number,
  perStream: number,
  until: number,
): Promise<number> {
  let appended = 0;
  const appender = async () => {
    let stream = `bench-${uuidv7()}`;
    let expected: ExpectedRevision = 'no_stream';
    while (Date.now() < until) {
      if (typeof expected === 'bigint' && expected + 1n >= perStream) {
        stream = `bench-${uuidv7()}`;
        expected = 'no_stream';
      }
      const result = await store.appendToStream(stream, [benchEvent(appended)], {
        expectedRevision: expected,
      });
      expected = result.nextExpectedRevision;
      appended++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, appender));
  return appended;
}

async function seed(store: EventStore, total: number, batchSize: number): Promise<void> {
  const run = uuidv7();
  // Several appends in flight, spread over streams, so seeding itself uses group commit.
  const streams = 16;
  const perStream = Math.ceil(total / streams);
  await Promise.all(
    Array.from({ length: streams }, async (_, s) => {
      let expected: ExpectedRevision = 'no_stream';
      for (let written = 0; written < perStream; ) {
        const count = Math.min(batchSize, perStream - written, total - s * perStream - written);
        if (count <= 0) return;
        const batch = Array.from({ length: count }, (_, i) => benchEvent(written + i));
        expected = (
          await store.appendToStream(`bench-seed-${run}-${s}`, batch, { expectedRevision: expected })
        ).nextExpectedRevision;
        written += count;
      }
    }),
  );
}

async function measureReadAll(name: string, store: EventStore, expected: number): Promise<StoreBenchRow> {
  const started = process.hrtime.bigint();
  let events = 0;
  let checksum = 0n;
  for await (const event of store.readAll()) {
    events++;
    checksum += event.revision; // touch the event so the read cannot be optimised away
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (events < expected)
    throw new Error(`readAll returned ${events} events, seeded ${expected} (${checksum})`);
  return row(name, `readAll over ${expected.toLocaleString('en-US')} events`, events, seconds);
}

/** A typical small call event with full metadata: about 300 bytes of JSON. */
function benchEvent(n: number): EventData {
  const id = uuidv7();
  return {
    id,
    type: 'CallStateChanged',
    data: { callId: id, from: '+15550100', to: '+15550199', state: 'ringing', leg: n % 4 },
    metadata: {
      correlation_id: id,
      causation_id: id,
      customer_id: 'customer-bench',
      actor: 'key:bench',
    },
  };
}

function row(store: string, scenario: string, events: number, seconds: number): StoreBenchRow {
  return { store, scenario, events, seconds, eventsPerSecond: events / seconds };
}

function formatRow(r: StoreBenchRow): string {
  const rate = Math.round(r.eventsPerSecond).toLocaleString('en-US');
  return `| ${r.store} | ${r.scenario} | ${r.events.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${rate} |`;
}

/** A markdown table of the rows; `targets` maps a scenario prefix to the events/s it should reach. */
export function formatStoreBenchTable(
  rows: readonly StoreBenchRow[],
  targets: Record<string, number> = {},
): string {
  const target = (scenario: string) => {
    const key = Object.keys(targets).find((prefix) => scenario.startsWith(prefix));
    return key ? `≥ ${targets[key].toLocaleString('en-US')}` : '';
  };
  return [
    '| store | scenario | events | seconds | events/s | target |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => `${formatRow(r)} ${target(r.scenario)} |`),
  ].join('\n');
}
