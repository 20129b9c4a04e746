import { request } from 'node:http';
import {
  ADMIN,
  api,
  cpuSeconds,
  loadAverage,
  makeCallLoad,
  percentile,
  rssMiB,
  runQueueWaitSeconds,
  startPinnedServer,
  stopServer,
} from './event-bench-lib';

/**
 * 1,000 SSE clients on one instance (one store subscription) while make-call load runs: event-to-client
 * latency (receipt time minus the event's `time`, same machine clock) and the server's RSS.
 * BENCH_SSE_CLIENTS, BENCH_SECONDS, BENCH_CONCURRENCY scale it.
 */
const CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const PORT = 3411;

async function main(): Promise<void> {
  const server = await startPinnedServer(PORT);
  try {
    const customer = await api(PORT, 'POST', '/v1/customers', ADMIN, { name: 'bench' });
    const key = customer.body.api_key.key;
    const latencies: number[] = [];
    let received = 0;
    const sockets: { destroy(): void }[] = [];
    await Promise.all(
      Array.from(
        { length: CLIENTS },
        () =>
          new Promise<void>((resolve, reject) => {
            const req = request(
              `http://127.0.0.1:${PORT}/v1/events?types=call.created`,
              { headers: { accept: 'text/event-stream', authorization: `Bearer ${key}` }, agent: false },
              (response) => {
                let buffer = '';
                response.setEncoding('utf8');
                response.on('data', (chunk: string) => {
                  // One clock reading per chunk, and no JSON parse: the load generator must stay cheap,
                  // a thousand clients parse every event.
                  const now = Date.now();
                  buffer += chunk;
                  let end = buffer.indexOf('\n\n');
                  while (end >= 0) {
                    const frame = buffer.slice(0, end);
                    buffer = buffer.slice(end + 2);
                    const at = frame.startsWith('id: ') ? frame.indexOf('"time":"') : -1;
                    if (at >= 0) {
                      latencies.push(now - Date.parse(frame.slice(at + 8, frame.indexOf('"', at + 8))));
                      received++;
                    }
                    end = buffer.indexOf('\n\n');
                  }
                });
                resolve();
              },
            );
            req.on('error', reject);
            req.end();
            sockets.push(req);
          }),
      ),
    );
    const pid = server.pid as number;
    const rssConnected = rssMiB(pid);
    const cpuBefore = cpuSeconds(pid);
    const waitBefore = runQueueWaitSeconds(pid);
    const clientCpuBefore = process.cpuUsage();
    const made = await makeCallLoad(PORT, key, CONCURRENCY, SECONDS);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const serverCpu = cpuSeconds(pid) - cpuBefore;
    const serverWait = runQueueWaitSeconds(pid) - waitBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const rssAfter = rssMiB(server.pid as number);
    for (const socket of sockets) socket.destroy();
    process.stdout.write(
      [
        `| SSE clients | calls made (${SECONDS} s, ${CONCURRENCY} loops) | events received | expected | p50 ms | p99 ms | max ms | RSS connected MiB | RSS after MiB | server CPU s | server waited for a CPU s | frames per server CPU-s | load generator CPU s | load avg |`,
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        `| ${CLIENTS} | ${made} | ${received} | ${made * CLIENTS} | ${percentile(latencies, 50)} | ${percentile(latencies, 99)} | ${percentile(latencies, 100)} | ${rssConnected} | ${rssAfter} | ${serverCpu.toFixed(1)} | ${serverWait.toFixed(1)} | ${Math.round(received / serverCpu)} | ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} | ${loadAverage()} |`,
        '',
      ].join('\n'),
    );
  } finally {
    await stopServer(server);
  }
}

void main();
