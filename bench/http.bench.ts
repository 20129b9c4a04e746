import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatLoadTable, type LoadResult, load, ROOT, startServer, stopServer } from './http-bench-lib';

/**
 * `npm run bench:http`: in one run, on this machine, a bare Fastify JSON POST with a schema (the ceiling)
 * and `POST /v1/calls` end to end (auth, validation, decide, durable FULL-sync append, read-your-writes),
 * both with 50 connections. Compare the ratio, not absolute numbers: the machine is shared and noisy.
 * Environment: BENCH_HTTP_SECONDS (default 10), BENCH_CONNECTIONS (default 50).
 */
const ADMIN_KEY = 'sb_bench_admin_key_0123456789abcdefgh';
const SEED_000_BODY = JSON.stringify({ contact_id: 'jj084', type: 'voice' });

async function waitForHttp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const rows: LoadResult[] = [];

  const barePort = '39101';
  const bare = await startServer('bench/servers/bare-fastify.server.ts', { PORT: barePort });
  try {
    rows.push(
      await load('bare Fastify POST with JSON schema', {
        url: `http://127.0.0.1:${barePort}/v1/calls`,
        method: 'POST',
        body: SEED_000_BODY,
        connections,
        durationSec: seconds,
      }),
    );
  } finally {
    await stopServer(bare);
  }

  // The product as `npm start` runs it: compiled output, embedded store on disk with FULL sync.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-http-bench-'));
  const appPort = '39102';
  const app = await startServer(
    'dist/main.js',
    {
      PORT: appPort,
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      // Measure the endpoint, not the simulated telephone network answering every call.
      MEDIA_GATEWAY_MODE: 'external',
    },
    null,
  );
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
    await load('warm-up', {
      url: `${base}/v1/calls`,
      method: 'POST',
      body: SEED_000_BODY,
      headers: auth,
      durationSec: 2,
    });
    rows.push(
      await load('POST /v1/calls end to end (seed 000 body)', {
        url: `${base}/v1/calls`,
        method: 'POST',
        body: SEED_000_BODY,
        headers: auth,
        connections,
        durationSec: seconds,
      }),
    );
  } finally {
    await stopServer(app);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(`\n${formatLoadTable(rows)}`);
  for (const row of rows) {
    if (row.non2xx > 0 || row.errors > 0)
      console.log(`WARNING: ${row.name} had failures; its figure is not valid`);
  }
  const ratio = rows[1].requestsPerSecond / rows[0].requestsPerSecond;
  console.log(`\nmake-call / bare Fastify = ${(ratio * 100).toFixed(1)} % (target ≥ 35 %, stretch 50 %)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
