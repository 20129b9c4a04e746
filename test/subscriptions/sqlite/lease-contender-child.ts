/**
 * Child process of test/subscriptions/sqlite/sqlite-lease-cross-process.int-spec.ts: a contender with its
 * own connection to the SQLite file at argv[2], named argv[3]. Prints `ready`, waits for `go` on stdin
 * (so that every contender starts at once), then tries to acquire each of argv[4] leases at the same
 * fixed `now` and prints `won <name> <token>` for each it got, then `done`. Not part of the app.
 */
import * as readline from 'node:readline';
import { ReactorsDatabase } from '../../../src/reactors/reactors-database';
import { SqliteLeaseStore } from '../../../src/subscriptions/sqlite/sqlite-lease-store';

const [file, holder, rounds] = process.argv.slice(2);
const database = new ReactorsDatabase(file);
const leases = new SqliteLeaseStore(database.connection);
const timing = { now: new Date('2026-01-01T00:00:00.000Z'), ttlMs: 10_000 };

async function contend(): Promise<void> {
  for (let round = 0; round < Number(rounds); round++) {
    const lease = await leases.acquire(`race-${round}`, holder, timing);
    if (lease !== null) process.stdout.write(`won ${lease.name} ${lease.token}\n`);
  }
  process.stdout.write('done\n');
  database.close();
}

readline.createInterface({ input: process.stdin }).once('line', () => {
  contend().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
});
process.stdout.write('ready\n');
