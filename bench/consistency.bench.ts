import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLoadTable, type LoadResult, load, ROOT, stopServer } from './http-bench-lib';
import { runBench } from './run-bench';

/**
 * `npm run bench:consistency`: what read-your-writes costs make-call, and how far read models lag behind
 * writes under that load, in one run on this machine. The server runs on core 0 (`taskset -c 0`), this load
 * generator on core 1 (the npm script pins it). Two servers in turn, same build, same durable store:
 * - read-your-writes on (the default: a write answers once this instance's read models show it);
 * - read-your-writes off (`READ_YOUR_WRITES_TIMEOUT_MS=0`): the write answers after the append alone.
 * While the off-server is under load, a probe makes one call every 20 ms and polls GET /v1/calls/:id until it
 * is visible: that delay is the projection lag a client of a server without the wait would see; and right
 * after each write it reads call-history's checkpoint from `/health/ready`: the write's position minus it
 * is the lag in positions (events, on the embedded store).
 * Environment: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50).
 */
const ADMIN_KEY = 'sb_bench_admin_key_0123456789abcdefgh';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function startProduct(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn('taskset', ['-c', '0', process.execPath, 'dist/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-bench-consistency-')),
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'error',
      MEDIA_GATEWAY_MODE: 'external',
      ...env,
    },
    stdio: 'pipe',
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      await fetch(`http://127.0.0.1:${port}/v1/calls`);
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('server never answered');
}

async function userKey(base: string): Promise<string> {
  const response = await fetch(`${base}/v1/customers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  return ((await response.json()) as { api_key: { key: string } }).api_key.key;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

interface LagSamples {
  /** Write answered → GET shows it, ms. */
  ms: number[];
  /** Positions between the write (its `Switchboard-Position`) and call-history's checkpoint at that moment. */
  positions: number[];
}

/** call-history's checkpoint as `/health/ready` reports it (a fresh status on every request). */
async function callHistoryCheckpoint(base: string): Promise<bigint | null> {
  const response = await fetch(`${base}/health/ready`);
  const body = (await response.json()) as {
    details?: { projections?: { read_models?: Record<string, { checkpoint: string | null }> } };
  };
  const checkpoint = body.details?.projections?.read_models?.['call-history']?.checkpoint;
  return checkpoint === undefined || checkpoint === null ? null : BigInt(checkpoint);
}

/**
 * Make a call, then (1) ask `/health/ready` where call-history is: the write's position minus that
 * checkpoint is the lag in POSITIONS the moment the write answered; (2) poll until GET shows the call: the
 * lag in milliseconds as a client sees it.
 */
async function probeLag(base: string, key: string, stop: () => boolean): Promise<LagSamples> {
  const samples: LagSamples = { ms: [], positions: [] };
  while (!stop()) {
    const id = crypto.randomUUID();
    const made = await fetch(`${base}/v1/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, contact_id: 'probe', type: 'voice' }),
    });
    await made.text();
    const answered = performance.now();
    const written = made.headers.get('switchboard-position');
    const checkpoint = written === null ? null : await callHistoryCheckpoint(base);
    if (written !== null) {
      const behind = BigInt(written) - (checkpoint ?? 0n);
      samples.positions.push(Number(behind > 0n ? behind : 0n));
    }
    for (;;) {
      const got = await fetch(`${base}/v1/calls/${id}`, { headers: { authorization: `Bearer ${key}` } });
      await got.text();
      if (got.status === 200) break;
    }
    samples.ms.push(performance.now() - answered);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  samples.ms.sort((a, b) => a - b);
  samples.positions.sort((a, b) => a - b);
  return samples;
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const rows: LoadResult[] = [];
  const body = JSON.stringify({ contact_id: 'jj084', type: 'voice' });
  let lags: LagSamples = { ms: [], positions: [] };
  for (const [name, env] of [
    ['POST /v1/calls, read-your-writes on', {}],
    ['POST /v1/calls, read-your-writes off', { READ_YOUR_WRITES_TIMEOUT_MS: '0' }],
  ] as const) {
    const port = 39400 + rows.length;
    const server = await startProduct(port, env);
    try {
      const base = `http://127.0.0.1:${port}`;
      const key = await userKey(base);
      let done = false;
      const probe = name.endsWith('off')
        ? probeLag(base, key, () => done)
        : Promise.resolve<LagSamples>({ ms: [], positions: [] });
      rows.push(
        await load(name, {
          url: `${base}/v1/calls`,
          method: 'POST',
          body,
          headers: { authorization: `Bearer ${key}` },
          connections,
          durationSec: seconds,
        }),
      );
      done = true;
      const measured = await probe;
      if (measured.ms.length > 0) lags = measured;
    } finally {
      await stopServer(server);
    }
  }
  const [on, off] = rows;
  process.stdout.write(`${formatLoadTable(rows)}\n\n`);
  process.stdout.write(
    `read-your-writes costs make-call: p50 ${on.p50Ms - off.p50Ms} ms, p99 ${on.p99Ms - off.p99Ms} ms; ` +
      `throughput ${((on.requestsPerSecond / off.requestsPerSecond) * 100).toFixed(0)} % of no wait\n`,
  );
  process.stdout.write(
    `projection lag under load (write answered → GET shows it, ${lags.ms.length} probes): ` +
      `p50 ${percentile(lags.ms, 0.5).toFixed(1)} ms, p99 ${percentile(lags.ms, 0.99).toFixed(1)} ms\n`,
  );
  process.stdout.write(
    `projection lag in positions (write's Switchboard-Position − call-history checkpoint in /health/ready ` +
      `right after, ${lags.positions.length} probes): p50 ${percentile(lags.positions, 0.5)}, ` +
      `p99 ${percentile(lags.positions, 0.99)}, max ${lags.positions.at(-1) ?? Number.NaN}\n`,
  );
  process.stdout.write(`machine: ${process.arch}, ${cpus().length} cores, node ${process.version}\n`);
}

runBench(main);
