import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import autocannon from 'autocannon';

export const ROOT = path.join(__dirname, '..');

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  durationSec?: number;
}

/** One autocannon run in this process; the server under test runs in a child process (its own core). */
export async function load(name: string, options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    body: options.body,
    headers: { 'content-type': 'application/json', ...options.headers },
    connections: options.connections ?? 50,
    duration: options.durationSec ?? 10,
  });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/** Starts `node [-r swc] <script>` with env, resolves when it prints READY (or the given line). */
export async function startServer(
  script: string,
  env: Record<string, string>,
  /** Null: do not wait for output (poll the port instead). */
  readyPattern: RegExp | null = /READY/,
): Promise<ChildProcess> {
  // BENCH_SERVER_NODE_ARGS: extra flags for the server's node, e.g. `--cpu-prof --cpu-prof-dir=<folder>`
  // to profile the server under the bench's load (node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, ...(script.endsWith('.ts') ? ['-r', '@swc-node/register', script] : [script])];
  // The server gets its own core (BENCH_SERVER_CPU, default 1); run the bench itself pinned to another
  // (`taskset -c 0`, as the npm scripts do), so the load generator never steals the server's core.
  const cpu = process.env.BENCH_SERVER_CPU ?? '1';
  const pinned = cpu !== '' && existsSync('/usr/bin/taskset');
  const child = pinned
    ? spawn('/usr/bin/taskset', ['-c', cpu, process.execPath, ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: 'pipe',
      })
    : spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  if (readyPattern === null) {
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    return child;
  }
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyPattern.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
    setTimeout(() => reject(new Error(`${script} did not start: ${output}`)), 60_000).unref();
  });
  return child;
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export function formatLoadTable(rows: LoadResult[]): string {
  const lines = [
    '| scenario | req/s | p50 ms | p99 ms | requests | non-2xx | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${r.p50Ms} | ${r.p99Ms} | ${r.total.toLocaleString('en-US')} | ${r.non2xx} | ${r.errors} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Resolves once the process has used less than `busyShare` of one core for `quietMs` in a row: after a
 * bulk load the server's projections and reactors are still catching up, and a load test during that
 * catch-up would measure the catch-up. Linux only (reads /proc). Returns how long it waited.
 */
export async function waitUntilIdle(
  pid: number,
  quietMs = 2000,
  busyShare = 0.15,
  timeoutMs = 30 * 60_000,
): Promise<number> {
  const started = Date.now();
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  };
  let quietSince = Date.now();
  let last = cpuMs();
  while (Date.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = cpuMs();
    if (now - last > 500 * busyShare) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= quietMs) return Date.now() - started;
  }
  throw new Error(`process ${pid} never went idle`);
}

/** Resolves when `url` answers at all (the server is listening), polling every 100 ms for up to a minute. */
export async function waitForHttp(url: string): Promise<void> {
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

/** A JSON request with a bearer key; the body is sent only when given. */
export function jsonRequest(method: string, key: string, body?: unknown): RequestInit {
  return {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

/** The bench's admin key, set on every product server a bench starts. */
export const BENCH_ADMIN_KEY = 'sb_bench_admin_key_0123456789abcdefgh';

/**
 * The product as `npm start` runs it (compiled `script`, embedded store on disk in `dataDir`, FULL sync),
 * with the media layer played by the bench (`MEDIA_GATEWAY_MODE=external`): the figures measure the
 * server, not the simulated telephone network.
 */
export function startProduct(script: string, port: string, dataDir: string): Promise<ChildProcess> {
  const env = {
    PORT: port,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    LOG_LEVEL: 'warn',
    MEDIA_GATEWAY_MODE: 'external',
  };
  return startServer(script, env, null);
}
