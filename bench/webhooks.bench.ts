import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN, api, percentile, startPinnedServer } from './event-bench-lib';

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
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, async (_, loop) => {
        for (let i = loop; i < CALLS; i += 10)
          await api(PORT, 'POST', '/v1/calls', key, { contact_id: 'bench' });
      }),
    );
    const expected = CALLS * ENDPOINTS;
    const deadline = Date.now() + 120_000;
    while (healthy < expected && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const seconds = (lastAt - started) / 1000;
    process.stdout.write(
      [
        '| calls | healthy endpoints | delivered | expected | deliveries/s | p50 ms | p99 ms | attempts at the failing endpoint |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        `| ${CALLS} | ${ENDPOINTS} | ${healthy} | ${expected} | ${Math.round(healthy / seconds)} | ${percentile(latencies, 50)} | ${percentile(latencies, 99)} | ${failing} |`,
        '',
      ].join('\n'),
    );
  } finally {
    server.kill('SIGKILL');
    receiver.close();
    receiver.closeAllConnections();
  }
}

void main();
