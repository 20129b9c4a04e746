import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsdbEventStore } from '../src/event-store/esdb/esdb-event-store';
import type { EventData, EventStore } from '../src/event-store/event-store';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { exportEvents } from '../src/operator/event-export';
import { importEvents } from '../src/operator/event-import';
import { readExportFile, verifyExportFile } from '../src/operator/export-file';
import { migrateStore } from '../src/operator/store-migration';
import { startEsdbWireFake } from '../test/support/esdb-wire-fake/esdb-wire-fake';
import { runBench } from './run-bench';

/**
 * `npm run bench:operator`: the operator CLI's bulk paths on the embedded store, in one process pinned to
 * one core: export SQLite → NDJSON file, import file → empty SQLite (after the trailer check), and
 * migrate SQLite → EventStoreDB wire FAKE (in-process gRPC server: a smoke figure, never a database one).
 * Events are call-sized (~400 bytes of JSON), 5 per stream.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const MIGRATE_EVENTS = Number(process.env.BENCH_MIGRATE_EVENTS ?? 20_000);
const PER_STREAM = 5;

function event(stream: number, revision: number): EventData {
  const id = `${stream.toString(16).padStart(8, '0')}-0000-7000-8000-${revision.toString(16).padStart(12, '0')}`;
  return {
    id,
    type: revision === 0 ? 'CallCreated' : 'CallSignalled',
    data: {
      callId: `call-${stream}`,
      customerId: 'bench',
      at: '2026-04-01T12:00:00.000Z',
      destination: { type: 'tel', target: '+15551234567', targetName: '', name: '', detail: '' },
      metadata: { campaign: 'bench', attempt: revision },
    },
    metadata: { correlation_id: id, causation_id: id, customer_id: 'bench', actor: 'system:bench' },
  };
}

async function populate(store: EventStore, count: number): Promise<void> {
  const streams = Math.ceil(count / PER_STREAM);
  const appends: Promise<unknown>[] = [];
  for (let s = 0; s < streams; s++) {
    const events = Array.from({ length: PER_STREAM }, (_, r) => event(s, r));
    appends.push(store.appendToStream(`call-${s}`, events, { expectedRevision: 'no_stream' }));
    if (appends.length >= 400) await Promise.all(appends.splice(0));
  }
  await Promise.all(appends);
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-ops-'));
  const rows: { what: string; events: number; seconds: number; target: string }[] = [];
  try {
    const source = new SqliteEventStore({ filename: join(dir, 'source.db') });
    await populate(source, EVENTS);
    const file = join(dir, 'events.ndjson');

    const exported = await timed(async () => {
      const out = createWriteStream(file);
      const write = (chunk: string) =>
        new Promise<void>((resolve) => (out.write(chunk) ? resolve() : out.once('drain', resolve)));
      const summary = await exportEvents(source, {}, write);
      await new Promise<void>((resolve) => out.end(() => resolve()));
      return summary;
    });
    rows.push({
      what: 'export SQLite → file',
      events: exported.result.count,
      seconds: exported.seconds,
      target: '≥ 200000',
    });

    const checked = await timed(() => verifyExportFile(file));
    rows.push({
      what: 'import: trailer check (read + SHA-256)',
      events: checked.result,
      seconds: checked.seconds,
      target: '',
    });

    const target = new SqliteEventStore({ filename: join(dir, 'target.db') });
    const imported = await timed(() => importEvents(target, readExportFile(file)));
    rows.push({
      what: 'import file → empty SQLite',
      events: imported.result.appended,
      seconds: imported.seconds,
      target: '≥ 50000',
    });
    const again = await timed(() => importEvents(target, readExportFile(file)));
    rows.push({
      what: 're-import (all skipped)',
      events: again.result.skipped,
      seconds: again.seconds,
      target: '',
    });
    await target.close();
    await source.close();

    const small = new SqliteEventStore({ filename: join(dir, 'small.db') });
    await populate(small, MIGRATE_EVENTS);
    const fake = await startEsdbWireFake();
    try {
      const esdb = EsdbEventStore.fromConnectionString(fake.connectionString);
      const migrated = await timed(() => migrateStore(small, esdb));
      if (migrated.result.mismatches.length > 0) throw new Error('migration mismatch');
      rows.push({
        what: 'migrate SQLite → EventStoreDB wire FAKE (copy + verify)',
        events: migrated.result.appended,
        seconds: migrated.seconds,
        target: '(fake)',
      });
      await esdb.close();
    } finally {
      await fake.stop();
      await small.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| what | events | seconds | events/s | target |\n|---|---:|---:|---:|---|');
  for (const row of rows)
    console.log(
      `| ${row.what} | ${row.events} | ${row.seconds.toFixed(2)} | ${Math.round(row.events / row.seconds)} | ${row.target} |`,
    );
}

runBench(main);
