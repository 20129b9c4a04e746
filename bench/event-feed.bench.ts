import {
  ADMIN,
  api,
  cpuSeconds,
  loadAverage,
  makeCallLoad,
  makeCallsAtRate,
  percentile,
  rssMiB,
  runQueueWaitSeconds,
  startPinnedServer,
  stopServer,
} from './event-bench-lib';
import { eventSourceClient, type FeedSample, rawFeedClient } from './sse-load-clients';

/**
 * 1,000 SSE clients on one instance (one store subscription) while make-call load runs: event-to-client
 * latency (receipt time minus the event's `time`, same machine clock) and the server's RSS.
 * BENCH_SSE_CLIENTS, BENCH_EVENTSOURCE_CLIENTS, BENCH_SECONDS, BENCH_CONCURRENCY (closed loops) or BENCH_RATE
 * (calls per second, open loop), BENCH_WARMUP_SECONDS (load before measuring, not counted) scale it.
 */
const CLIENTS = Number(process.env.BENCH_SSE_CLIENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
/** Calls per second, open loop; unset: BENCH_CONCURRENCY closed loops, as fast as the server answers. */
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : null;
/** How many of the clients are real `eventsource` clients (the rest are raw readers, see sse-load-clients). */
const EVENTSOURCE_CLIENTS = Math.min(CLIENTS, Number(process.env.BENCH_EVENTSOURCE_CLIENTS ?? 20));
const PORT = 3411;

const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);

function makeLoad(key: string, seconds: number): Promise<number> {
  return RATE === null
    ? makeCallLoad(PORT, key, CONCURRENCY, seconds)
    : makeCallsAtRate(PORT, key, RATE, seconds);
}

async function main(): Promise<void> {
  const server = await startPinnedServer(PORT);
  try {
    const customer = await api(PORT, 'POST', '/v1/customers', ADMIN, { name: 'bench' });
    const key = customer.body.api_key.key;
    const raw: FeedSample = { latencies: [], frames: 0 };
    const real: FeedSample = { latencies: [], frames: 0 };
    const path = '/v1/events?types=call.created';
    // Connect in batches so the server's accept queue is not the first thing measured. The eventsource
    // clients connect last: the server writes its clients in the order they joined, so theirs is the worst seat.
    const sockets: { destroy(): void }[] = [];
    for (let i = 0; i < CLIENTS; i += 100) {
      const batch = Array.from({ length: Math.min(100, CLIENTS - i) }, (_, j) =>
        i + j >= CLIENTS - EVENTSOURCE_CLIENTS
          ? eventSourceClient(PORT, path, key, real)
          : rawFeedClient(PORT, path, key, raw),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    // Warm-up at the same load, not counted: the first calls run cold code paths (JIT, first statements),
    // and with a thousand clients one slow event is a thousand samples, i.e. the whole p99 of a short run.
    await makeLoad(key, WARMUP_SECONDS);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const sample of [raw, real]) {
      sample.latencies.length = 0;
      sample.frames = 0;
    }
    const pid = server.pid as number;
    const rssConnected = rssMiB(pid);
    const cpuBefore = cpuSeconds(pid);
    const waitBefore = runQueueWaitSeconds(pid);
    const clientCpuBefore = process.cpuUsage();
    const made = await makeLoad(key, SECONDS);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const serverCpu = cpuSeconds(pid) - cpuBefore;
    const serverWait = runQueueWaitSeconds(pid) - waitBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const rssAfter = rssMiB(server.pid as number);
    for (const socket of sockets) socket.destroy();
    const received = raw.frames + real.frames;
    const all = [...raw.latencies, ...real.latencies];
    process.stdout.write(
      [
        `| SSE clients (eventsource) | calls made (${SECONDS} s, ${RATE === null ? `${CONCURRENCY} loops` : `${RATE}/s`}) | events received | expected | p50 ms | p99 ms | max ms | eventsource clients p50 / p99 ms | RSS connected MiB | RSS after MiB | server CPU s | server waited for a CPU s | frames per server CPU-s | load generator CPU s | load avg |`,
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
        `| ${CLIENTS} (${EVENTSOURCE_CLIENTS}) | ${made} | ${received} | ${made * CLIENTS} | ${percentile(all, 50)} | ${percentile(all, 99)} | ${percentile(all, 100)} | ${percentile(real.latencies, 50)} / ${percentile(real.latencies, 99)} | ${rssConnected} | ${rssAfter} | ${serverCpu.toFixed(1)} | ${serverWait.toFixed(1)} | ${Math.round(received / serverCpu)} | ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} | ${loadAverage()} |`,
        '',
      ].join('\n'),
    );
  } finally {
    await stopServer(server);
  }
}

void main();
