import { EsdbEventStore } from '../src/event-store/esdb/esdb-event-store';
import { startEsdbWireFake } from '../test/support/esdb-wire-fake/esdb-wire-fake';
import { runBench } from './run-bench';
import { formatStoreBenchTable, runStoreBench } from './store-bench-lib';

/**
 * `npm run bench:store:esdb-fake`: the EventStoreDB adapter over real gRPC against the in-process wire fake.
 * This measures the adapter and the client's gRPC path with a server in the SAME process (sharing its core),
 * not EventStoreDB: read it as a smoke figure for the adapter's overhead, never as a database comparison.
 */
async function main(): Promise<void> {
  const fake = await startEsdbWireFake();
  try {
    const rows = await runStoreBench(
      'EventStoreDB adapter → wire FAKE',
      async () => EsdbEventStore.fromConnectionString(fake.connectionString),
      {
        appendDurationMs: Number(process.env.BENCH_APPEND_MS ?? 3000),
        readAllEvents: Number(process.env.BENCH_READ_EVENTS ?? 50_000),
        hotStreams: false,
      },
    );
    console.log(`\n${formatStoreBenchTable(rows, {})}`);
  } finally {
    await fake.stop();
  }
}

runBench(main);
