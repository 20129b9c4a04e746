import { startEsdbWireFake } from '../../test/support/esdb-wire-fake/esdb-wire-fake';
import { runBench } from '../run-bench';

/**
 * The EventStoreDB wire FAKE in a process of its own, so that a benchmark measures the adapter and the
 * client without also paying for the fake's protobuf encoding on the same core (a real server would not
 * share it either). Listens on FAKE_PORT (default: any), prints `READY <connection string>`; stops on SIGTERM.
 */
async function main(): Promise<void> {
  const fake = await startEsdbWireFake({ port: Number(process.env.FAKE_PORT ?? 0) });
  process.stdout.write(`READY ${fake.connectionString}\n`);
  process.once('SIGTERM', () => {
    void fake.stop().then(() => process.exit(0));
  });
}

runBench(main);
