import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { READ_MODELS_FILE } from '../src/app.module';
import type { EventData } from '../src/event-store/event-store';
import { EVENT_STORE_FILE } from '../src/event-store/event-store.module';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { REACTORS_FILE, ReactorsDatabase } from '../src/reactors/reactors-database';
import { SqliteCheckpointStore } from '../src/subscriptions/sqlite/sqlite-checkpoint-store';
import { callEvents } from './catchup-bench-lib';
import { BENCH_ADMIN_KEY, ROOT, startServer, stopServer } from './http-bench-lib';
import { runBench } from './run-bench';

/**
 * `npm run bench:startup`: how long `node dist/main.js` takes from spawn to `GET /health/ready` = 200 on
 * a data folder holding BENCH_STARTUP_CALLS calls (default 1,000,000; five events each, 50 tenants):
 *   1. with NO read models (read-models.db deleted: a fresh instance, or a wipe), so every read model is
 *      built from the log;
 *   2. restarted with the read models just built.
 * The log is written in the store's own table format (see `seed`), after the store created its schema.
 * Reactor checkpoints are set to the head, as on a system that ran them: a read-model wipe does not make
 * reactions run again. BENCH_STARTUP_DIR keeps the seeded folder between runs (seeded once;
 * BENCH_STARTUP_SEED_ONLY=1 only seeds).
 * Run `npm run build` first. The server is pinned to core 1, this process to core 0.
 */
export const STARTUP_TARGET_SECONDS = 30;

/**
 * Reactor consumers of the embedded store (their checkpoints live in reactors.db). Keep in step with the
 * reactors' `name`s: one missing here catches up from the start during the measured cold start.
 * `call-media` and `recordings.media` only run with a simulated media gateway (the bench runs `external`).
 */
const REACTORS = [
  'call-media',
  'recordings.media',
  'recordings.lifecycle',
  'chained-calls',
  'call-actions',
  'transfer-legs',
  'call-callbacks',
  'incoming-call-routing',
  'webhook-outbox',
  'conferences.termination-kick',
  'conferences.call-hangup-leave',
  'conferences.participant-cleanup',
  'conferences.kick-leave',
];
const IN_PROGRESS = 500;

/**
 * Writes the log straight into the embedded store's own table (the schema the store created), 500 calls in
 * progress at a time so a call's events are spread over `$all` as in a live system. The port's appends
 * (one group commit per batch of appends) did ~2,500 appends/s on this shared machine: 5M events that way
 * take longer than the startup being measured.
 */
async function seed(dir: string, calls: number): Promise<void> {
  const filename = path.join(dir, EVENT_STORE_FILE);
  await new SqliteEventStore({ filename, synchronous: 'NORMAL' }).close();
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const started = process.hrtime.bigint();
  const created = Date.UTC(2026, 0, 1);
  const writeRound = db.transaction((round: { stream: string; revision: number; event: EventData }[]) => {
    for (const { stream, revision, event } of round) {
      const { id, type, data, metadata } = event;
      insert.run(stream, revision, id, type, JSON.stringify(data), JSON.stringify(metadata), created);
    }
  });
  for (let first = 0; first < calls; first += IN_PROGRESS) {
    const group = Array.from({ length: Math.min(IN_PROGRESS, calls - first) }, (_, i) => {
      const callId = uuidv7();
      return { stream: `call-${callId}`, events: callEvents(callId, first + i) };
    });
    const rows = [];
    for (let revision = 0; revision < 5; revision++) {
      for (const { stream, events } of group) rows.push({ stream, revision, event: events[revision] });
    }
    writeRound(rows);
    if (first % 100_000 === 0 && first > 0) console.error(`  seeded ${first.toLocaleString('en-US')} calls`);
  }
  const head = db.prepare('SELECT max(position) FROM events').pluck().get() as number;
  db.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.error(`seeded ${calls.toLocaleString('en-US')} calls in ${seconds.toFixed(1)} s (head ${head})`);
}

interface Startup {
  listeningSeconds: number | null;
  readySeconds: number;
  cpuSeconds: number;
}

function cpuSecondsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function timeStartup(dir: string, port: number): Promise<Startup> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const child: ChildProcess = await startServer(
    'dist/main.js',
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      ADMIN_API_KEY: BENCH_ADMIN_KEY,
      LOG_LEVEL: 'warn',
      MEDIA_GATEWAY_MODE: 'external',
    },
    null,
  );
  child.stdout?.resume();
  let listeningSeconds: number | null = null;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      const status = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (response) => response.status,
        () => null,
      );
      if (status !== null && listeningSeconds === null) listeningSeconds = elapsed();
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { listeningSeconds, readySeconds: elapsed(), cpuSeconds: cpuSecondsOf(child.pid!) };
  } finally {
    await stopServer(child);
  }
}

/** Every reactor at the head, as on a system that ran them; on each run, so a folder seeded earlier gets them. */
async function reactorsAtHead(dir: string): Promise<void> {
  const events = new Database(path.join(dir, EVENT_STORE_FILE), { readonly: true });
  const head = events.prepare('SELECT max(position) FROM events').pluck().get() as number;
  events.close();
  const reactors = new ReactorsDatabase(path.join(dir, REACTORS_FILE));
  const checkpoints = new SqliteCheckpointStore(reactors.connection);
  for (const name of REACTORS) await checkpoints.save(name, BigInt(head));
  reactors.close();
}

/**
 * Size of reactors.db (file + WAL) and its recorded timer firings, read before the warm restart prunes
 * them: every firing of a historic timer during catch-up is a command run (and a write) for nothing.
 */
function reactorsFileAfter(dir: string): { megabytes: number; firings: number } {
  const file = path.join(dir, REACTORS_FILE);
  const bytes = [file, `${file}-wal`].reduce(
    (sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0),
    0,
  );
  const db = new Database(file, { readonly: true });
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'timer_firings'").get();
    const firings = hasTable ? (db.prepare('SELECT count(*) FROM timer_firings').pluck().get() as number) : 0;
    return { megabytes: bytes / 1e6, firings };
  } finally {
    db.close();
  }
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
  if (!fs.existsSync(path.join(ROOT, 'dist/main.js'))) throw new Error('run `npm run build` first');
  const calls = Number(process.env.BENCH_STARTUP_CALLS ?? 1_000_000);
  const kept = process.env.BENCH_STARTUP_DIR;
  const dir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-startup-bench-'));
  pinToCore0();
  try {
    const marker = path.join(dir, `seeded-${calls}`);
    if (!fs.existsSync(marker)) {
      fs.mkdirSync(dir, { recursive: true });
      for (const file of fs.readdirSync(dir))
        fs.rmSync(path.join(dir, file), { recursive: true, force: true });
      await seed(dir, calls);
      fs.writeFileSync(marker, '');
    }
    await reactorsAtHead(dir);
    if (process.env.BENCH_STARTUP_SEED_ONLY === '1') return;
    for (const file of [READ_MODELS_FILE, `${READ_MODELS_FILE}-wal`, `${READ_MODELS_FILE}-shm`]) {
      fs.rmSync(path.join(dir, file), { force: true });
    }
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const cold = await timeStartup(dir, port);
    const reactors = reactorsFileAfter(dir);
    const warm = await timeStartup(dir, port);
    const fmt = (s: number | null) => (s === null ? '-' : `${s.toFixed(1)} s`);
    const verdict = (s: number) => (s <= STARTUP_TARGET_SECONDS ? 'meets' : 'MISSES');
    const events = (calls * 5).toLocaleString('en-US');
    console.log(
      `startup to ready, ${calls.toLocaleString('en-US')} stored calls (${events} events), no read models: ` +
        `listening ${fmt(cold.listeningSeconds)}, ready ${fmt(cold.readySeconds)} ` +
        `(${verdict(cold.readySeconds)} ${STARTUP_TARGET_SECONDS} s), server CPU ${cold.cpuSeconds.toFixed(1)} s`,
    );
    console.log(
      `  reactors.db after the cold start: ${reactors.megabytes.toFixed(1)} MB, ` +
        `${reactors.firings.toLocaleString('en-US')} timer firings recorded (historic timers fired while catching up)`,
    );
    console.log(
      `restart with read models present: listening ${fmt(warm.listeningSeconds)}, ready ` +
        `${fmt(warm.readySeconds)}, server CPU ${warm.cpuSeconds.toFixed(1)} s`,
    );
  } finally {
    if (!kept) fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
