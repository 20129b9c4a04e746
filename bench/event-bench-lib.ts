import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './http-bench-lib';

export const ADMIN = 'sb_bench_admin_key_0123456789abcdef';

/** The real server in a child pinned to core 0 (the load generator runs under `taskset -c 1`). */
export async function startPinnedServer(
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-events-'));
  // BENCH_PROFILE=<dir>: the server writes a V8 CPU profile there when stopped with stopServer().
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const node = [process.execPath, ...profile, '-r', '@swc-node/register', 'src/main.ts'];
  const child = spawn('taskset', ['-c', '0', ...node], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: ADMIN,
      MEDIA_GATEWAY_MODE: 'external',
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/v1/event-types`);
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error('server did not start');
}

export async function api(port: number, method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: bench helper reading arbitrary JSON
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}

export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

/** CPU seconds (user + system) the process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Seconds the server's main thread spent runnable but waiting for a CPU (/proc schedstat): on the shared
 * machine this is latency no code change removes, so it is printed next to the latencies.
 */
export function runQueueWaitSeconds(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
}

/** The 1-minute load average, to print next to every figure (the machine is shared). */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** SIGKILL, or SIGTERM and a wait when profiling (the profile is written on a clean exit). */
export async function stopServer(server: ChildProcess): Promise<void> {
  if (!process.env.BENCH_PROFILE) {
    server.kill('SIGKILL');
    return;
  }
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Makes calls from `concurrency` loops for `seconds`; returns how many were made. Each loop keeps one
 * connection (node:http with a keep-alive agent, not `fetch`): the generator shares its core with the
 * clients it measures, and undici's per-request cost showed up in their latencies.
 */
export async function makeCallLoad(
  port: number,
  key: string,
  concurrency: number,
  seconds: number,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const until = Date.now() + seconds * 1000;
  let made = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) {
          if ((await postCall(agent, port, key)) === 201) made++;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return made;
}

/**
 * Open-loop load: one call every 1/rate seconds for `seconds`, whatever the answers (a closed loop slows
 * down with the server and so always runs it near saturation); `maxInFlight` bounds what is outstanding.
 * Returns how many were made (201).
 */
export async function makeCallsAtRate(
  port: number,
  key: string,
  ratePerSecond: number,
  seconds: number,
  maxInFlight = 64,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
  const total = Math.round(ratePerSecond * seconds);
  const start = Date.now();
  let made = 0;
  let inFlight = 0;
  const calls: Promise<void>[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / ratePerSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (inFlight >= maxInFlight) continue; // the server is this far behind: skip, and it shows in "made"
      inFlight++;
      calls.push(
        postCall(agent, port, key).then((status) => {
          inFlight--;
          if (status === 201) made++;
        }),
      );
    }
    await Promise.all(calls);
  } finally {
    agent.destroy();
  }
  return made;
}

function postCall(agent: Agent, port: number, key: string): Promise<number> {
  const body = '{"contact_id":"bench"}';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/calls',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
