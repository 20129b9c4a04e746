import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { callDecider } from '../src/calls/call.decider';
import { callStreamId } from '../src/calls/call-stream';
import { SqliteEventStore } from '../src/event-store/sqlite/sqlite-event-store';
import { bindPageToken, encodePageToken } from '../src/http/pagination';
import {
  formatLoadTable,
  type LoadResult,
  load,
  ROOT,
  startServer,
  stopServer,
  waitUntilIdle,
} from './http-bench-lib';
import { runBench } from './run-bench';

/**
 * `npm run bench:calls-list`: `GET /v1/calls` over HTTP with BENCH_CALLS (default 1,000,000) calls of one
 * tenant stored: the first page, and a page 80 % deep in the cursor. Targets: p99 ≤ 10 ms for both.
 * Also reports how fast a fresh server builds the call-history read model from the log.
 */
const ADMIN_KEY = 'sb_bench_admin_key_0123456789abcdefgh';
// Calls created over the last BENCH_CALLS milliseconds, still dialing with a day-long dial timeout: no
// timer falls due during the run (overdue timers would fire a million commands first).
const BASE_TIME = Date.now() - Number(process.env.BENCH_CALLS ?? 1_000_000) - 60_000;

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function seedCalls(file: string, customerId: string, count: number): Promise<string[]> {
  // NORMAL sync only to seed faster; what is measured are reads.
  const store = new SqliteEventStore({ filename: file, synchronous: 'NORMAL' });
  const ids: string[] = [];
  const metadata = {
    correlation_id: 'bench',
    causation_id: 'bench',
    customer_id: customerId,
    actor: 'bench',
  };
  for (let start = 0; start < count; start += 1000) {
    const appends: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const callId = uuidv7();
      ids.push(callId);
      const at = new Date(BASE_TIME + i).toISOString();
      const events = callDecider.decide(
        {
          type: 'MakeCall',
          data: {
            callId,
            customerId,
            at,
            contactId: `contact-${i % 5000}`,
            type: 'voice',
            dialTimeoutSec: 86_400,
          },
        },
        callDecider.initialState,
      );
      appends.push(
        store.appendToStream(
          callStreamId(callId),
          events.map((event) => ({ id: uuidv7(), type: event.type, data: event.data, metadata })),
          { expectedRevision: 'no_stream' },
        ),
      );
    }
    await Promise.all(appends);
  }
  await store.close();
  return ids;
}

async function main(): Promise<void> {
  const count = Number(process.env.BENCH_CALLS ?? 1_000_000);
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-list-bench-'));
  const port = '39103';
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PORT: port,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'warn',
    MEDIA_GATEWAY_MODE: 'external',
  };
  try {
    let server = await startServer('dist/main.js', env, null);
    const customer = await until(async () => {
      const response = await fetch(`${base}/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench' }),
      });
      return response.status === 201
        ? ((await response.json()) as { customer: { id: string }; api_key: { key: string } })
        : undefined;
    }, 60_000);
    await stopServer(server);

    const seedStart = Date.now();
    const ids = await seedCalls(path.join(dataDir, 'events.db'), customer.customer.id, count);
    console.error(`seeded ${count} calls in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const auth = { authorization: `Bearer ${customer.api_key.key}` };
    const buildStart = Date.now();
    server = await startServer('dist/main.js', env, null);
    const newest = ids[ids.length - 1];
    await until(async () => {
      const page = (await fetch(`${base}/v1/calls?page_size=1`, { headers: auth }).then((r) => r.json())) as {
        result?: { id: string }[];
      };
      return page.result?.[0]?.id === newest ? true : undefined;
    }, 30 * 60_000);
    const buildSeconds = (Date.now() - buildStart) / 1000;
    console.error(`call-history built from ${count} calls in ${buildSeconds.toFixed(1)} s`);
    // The other projections (timers) and the reactors are still reading the same million events.
    const settleSeconds = (await waitUntilIdle(server.pid!)) / 1000;
    console.error(`every projection and reactor caught up ${settleSeconds.toFixed(1)} s later`);

    const deepIndex = Math.floor(count * 0.2); // newest first: 80 % of the rows come before it
    const token = bindPageToken(
      encodePageToken({ created: new Date(BASE_TIME + deepIndex).toISOString(), id: ids[deepIndex] }),
      '/v1/calls',
      {},
    );
    const rows: LoadResult[] = [];
    await load('warm-up', { url: `${base}/v1/calls?page_size=100`, headers: auth, durationSec: 2 });
    rows.push(
      await load(`GET /v1/calls first page (100 of ${count})`, {
        url: `${base}/v1/calls?page_size=100`,
        headers: auth,
        durationSec: seconds,
      }),
    );
    rows.push(
      await load(`GET /v1/calls page 80 % deep (100 of ${count})`, {
        url: `${base}/v1/calls?page_size=100&page_token=${token}`,
        headers: auth,
        durationSec: seconds,
      }),
    );
    // Latency of one client alone (no queueing behind 49 others), default page size of 20.
    rows.push(
      await load('1 client: GET /v1/calls first page (20)', {
        url: `${base}/v1/calls`,
        headers: auth,
        connections: 1,
        durationSec: seconds,
      }),
    );
    rows.push(
      await load('1 client: GET /v1/calls page 80 % deep (20)', {
        url: `${base}/v1/calls?page_token=${token}`,
        headers: auth,
        connections: 1,
        durationSec: seconds,
      }),
    );
    rows.push(
      await load('GET /v1/calls/history?user_id=contact-42&limit=10', {
        url: `${base}/v1/calls/history?user_id=contact-42&limit=10`,
        headers: auth,
        durationSec: seconds,
      }),
    );
    await stopServer(server);
    console.log(
      `\ncall-history build: ${count} calls in ${buildSeconds.toFixed(1)} s (${Math.round(count / buildSeconds)} calls/s); the rest (timers, reactors) caught up ${settleSeconds.toFixed(1)} s later\n`,
    );
    console.log(formatLoadTable(rows));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
