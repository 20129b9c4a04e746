import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ADMIN,
  api,
  cpuSeconds,
  loadAverage,
  percentile,
  runQueueWaitSeconds,
  startPinnedServer,
  stopServer,
} from './event-bench-lib';

/**
 * Webhook deliveries per second to local receivers (BENCH_ENDPOINTS healthy endpoints, call.created only)
 * for BENCH_CALLS calls, with one more endpoint whose receiver answers 503 throughout: the healthy
 * endpoints' rate and delivery latency (receipt minus the event's `time`) should not suffer from it.
 */
const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 5);
const PORT = 3412;
/** BENCH_FAILING=0 runs without the failing endpoint, for comparison. */
const WITH_FAILING = process.env.BENCH_FAILING !== '0';

async function main(): Promise<void> {
  const latencies: number[] = [];
  let healthy = 0;
  let failing = 0;
  let lastAt = 0;
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      if (request.url === '/failing') {
        failing++;
        response.writeHead(503).end();
        return;
      }
      healthy++;
      lastAt = Date.now();
      latencies.push(lastAt - Date.parse(JSON.parse(Buffer.concat(chunks).toString()).time));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const server = await startPinnedServer(PORT, {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1',
  });
  try {
    const { key } = (await api(PORT, 'POST', '/v1/customers', ADMIN, { name: 'bench' })).body.api_key;
    for (let i = 0; i < ENDPOINTS; i++)
      await api(PORT, 'POST', '/v1/webhook-endpoints', key, {
        url: `${base}/ok${i}`,
        event_types: ['call.created'],
      });
    if (WITH_FAILING)
      await api(PORT, 'POST', '/v1/webhook-endpoints', key, {
        url: `${base}/failing`,
        event_types: ['call.created'],
      });
    const pid = server.pid as number;
    const cpuBefore = cpuSeconds(pid);
    const waitBefore = runQueueWaitSeconds(pid);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, async (_, loop) => {
        for (let i = loop; i < CALLS; i += 10)
          await api(PORT, 'POST', '/v1/calls', key, { contact_id: 'bench' });
      }),
    );
    const callsDone = Date.now();
    const deliveredByThen = healthy;
    const expected = CALLS * ENDPOINTS;
    const deadline = Date.now() + 120_000;
    while (healthy < expected && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const seconds = (lastAt - started) / 1000;
    const serverCpu = cpuSeconds(pid) - cpuBefore;
    const serverWait = runQueueWaitSeconds(pid) - waitBefore;
    const commits = await commitFigures(PORT);
    // After the last call was made, only the outbox is working: its own rate, not the make-call rate.
    const drainSeconds = Math.max(0.001, (lastAt - callsDone) / 1000);
    process.stdout.write(
      [
        '| calls | healthy endpoints | delivered | expected | calls made in s | deliveries/s (from first call) | deliveries/s after the last call | server CPU s | server waited for a CPU s | deliveries per server CPU-s | p50 ms | p99 ms | attempts at the failing endpoint | load avg |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        `| ${CALLS} | ${ENDPOINTS} | ${healthy} | ${expected} | ${((callsDone - started) / 1000).toFixed(1)} | ${Math.round(healthy / seconds)} | ${Math.round((healthy - deliveredByThen) / drainSeconds)} | ${serverCpu.toFixed(1)} | ${serverWait.toFixed(1)} | ${Math.round(healthy / serverCpu)} | ${percentile(latencies, 50)} | ${percentile(latencies, 99)} | ${failing} | ${loadAverage()} |`,
        '',
        `store commits: ${commits}`,
        '',
      ].join('\n'),
    );
  } finally {
    await stopServer(server);
    receiver.close();
    receiver.closeAllConnections();
  }
}

/** Group-commit transactions and the time spent in them (fsync included), from /metrics. */
async function commitFigures(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  const text = await response.text();
  const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? Number.NaN);
  const count = value('switchboard_append_commit_seconds_count');
  const seconds = value('switchboard_append_commit_seconds_sum');
  const events = value('switchboard_append_batch_events_sum');
  return `${count} transactions, ${events} events, ${seconds.toFixed(2)} s in commits`;
}

void main();
