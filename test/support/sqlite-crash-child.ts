/**
 * Child process of the crash test (test/event-store/sqlite-crash.int-spec.ts): appends forever to the SQLite
 * store at argv[2] with several concurrent appenders and prints one line per *resolved* append:
 * `ack <stream> <lastRevision> <id>,<id>,...`. The parent kills it with SIGKILL at an arbitrary moment and then
 * checks that everything acknowledged is on disk. Not part of the app.
 */
import { v7 as uuidv7 } from 'uuid';
import type { EventData, ExpectedRevision } from '../../src/event-store/event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';

const APPENDERS = 8;

function batch(size: number): EventData[] {
  const batchId = uuidv7();
  return Array.from({ length: size }, (_, i) => {
    const id = uuidv7();
    return {
      id,
      type: 'CrashTestEvent',
      data: { batchId, index: i, size },
      metadata: {
        correlation_id: batchId,
        causation_id: batchId,
        customer_id: 'crash',
        actor: 'system:crash',
      },
    };
  });
}

async function appender(store: SqliteEventStore, worker: number): Promise<never> {
  const stream = `crash-${worker}`;
  let expected: ExpectedRevision = 'no_stream';
  for (let n = 0; ; n++) {
    // Alternate single events and batches of three, so atomicity of multi-event appends is checked too.
    const events = batch(n % 2 === 0 ? 1 : 3);
    const result = await store.appendToStream(stream, events, { expectedRevision: expected });
    expected = result.nextExpectedRevision;
    process.stdout.write(
      `ack ${stream} ${result.nextExpectedRevision} ${events.map((e) => e.id).join(',')}\n`,
    );
  }
}

const store = new SqliteEventStore({ filename: process.argv[2] });
process.stdout.write('ready\n');
for (let worker = 0; worker < APPENDERS; worker++) {
  appender(store, worker).catch((error) => {
    process.stderr.write(`appender ${worker} failed: ${String(error)}\n`);
    process.exit(2);
  });
}
