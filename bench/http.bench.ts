import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BENCH_ADMIN_KEY,
  formatLoadTable,
  type LoadResult,
  load,
  ROOT,
  startProduct,
  startServer,
  stopServer,
  waitForHttp,
} from './http-bench-lib';
import { runBench } from './run-bench';

/**
 * `npm run bench:http`: in one run, on this machine, a bare Fastify JSON POST with a schema (the ceiling),
 * the durable-write limit (`bench/servers/durable-write-limit.server.ts`), `POST /v1/calls` end to end
 * (auth, validation, decide, durable FULL-sync append, read-your-writes), and GET by id against a bare
 * Fastify GET, all with 50 connections, the server pinned to core 1 and the load generator to core 0. Compare the ratio, not absolute numbers: the machine is shared and noisy.
 * Environment: BENCH_HTTP_SECONDS (default 10), BENCH_CONNECTIONS (default 50).
 */
const ADMIN_KEY = BENCH_ADMIN_KEY;
const SEED_000_BODY = JSON.stringify({ contact_id: 'jj084', type: 'voice' });

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const post = (url: string, headers: Record<string, string> = {}) => ({
    url,
    method: 'POST' as const,
    body: SEED_000_BODY,
    headers,
    connections,
    durationSec: seconds,
  });

  const barePort = '39101';
  const bare = await startServer('bench/servers/bare-fastify.server.ts', { PORT: barePort });
  let barePost: LoadResult;
  let bareGet: LoadResult;
  try {
    barePost = await load(
      'bare Fastify POST with JSON schema',
      post(`http://127.0.0.1:${barePort}/v1/calls`),
    );
    bareGet = await load('bare Fastify GET by id', {
      url: `http://127.0.0.1:${barePort}/v1/calls/0190aaaa-0000-7000-8000-000000000001`,
      connections,
      durationSec: seconds,
    });
  } finally {
    await stopServer(bare);
  }

  const limitPort = '39103';
  const limit = await startServer('bench/servers/durable-write-limit.server.ts', { PORT: limitPort });
  let limitPost: LoadResult;
  try {
    const auth = { authorization: 'Bearer sb_limit_bench_key_0123456789abcdef' };
    limitPost = await load(
      'durable-write limit: Fastify + schema + key check + SQLite group commit FULL',
      post(`http://127.0.0.1:${limitPort}/v1/calls`, auth),
    );
  } finally {
    await stopServer(limit);
  }

  // The product as `npm start` runs it: compiled output, embedded store on disk with FULL sync.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-http-bench-'));
  const appPort = '39102';
  const app = await startProduct('dist/main.js', appPort, dataDir);
  let productPost: LoadResult;
  let productGet: LoadResult;
  try {
    const base = `http://127.0.0.1:${appPort}`;
    await waitForHttp(`${base}/openapi.json`);
    const customer = await fetch(`${base}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    }).then((r) => r.json() as Promise<{ api_key: { key: string } }>);
    const auth = { authorization: `Bearer ${customer.api_key.key}` };
    // Warm-up: JIT, SQLite page cache.
    await load('warm-up', { ...post(`${base}/v1/calls`, auth), durationSec: 2 });
    productPost = await load(
      'Switchboard POST /v1/calls end to end (seed 000 body)',
      post(`${base}/v1/calls`, auth),
    );
    const made = await fetch(`${base}/v1/calls`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: SEED_000_BODY,
    }).then((r) => r.json() as Promise<{ id: string }>);
    productGet = await load('Switchboard GET /v1/calls/:id', {
      url: `${base}/v1/calls/${made.id}`,
      headers: auth,
      connections,
      durationSec: seconds,
    });
  } finally {
    await stopServer(app);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const rows = [barePost, limitPost, productPost, bareGet, productGet];
  console.log(`\n${formatLoadTable(rows)}`);
  for (const row of rows) {
    if (row.non2xx > 0 || row.errors > 0)
      console.log(`WARNING: ${row.name} had failures; its figure is not valid`);
  }
  const pct = (a: LoadResult, b: LoadResult) =>
    `${((a.requestsPerSecond / b.requestsPerSecond) * 100).toFixed(1)} %`;
  console.log(
    `\nmake-call / bare Fastify        = ${pct(productPost, barePost)} (target ≥ 35 %; p99 ${productPost.p99Ms} ms, target ≤ 10 ms)`,
  );
  console.log(`make-call / durable-write limit = ${pct(productPost, limitPost)} (target ≈ 70 %)`);
  console.log(`durable-write limit / bare      = ${pct(limitPost, barePost)}`);
  console.log(`get-call / bare Fastify GET     = ${pct(productGet, bareGet)} (target ≥ 50 %)`);
}

runBench(main);
