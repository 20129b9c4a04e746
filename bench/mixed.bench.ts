import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FeedMediaLayer } from '../test/support/feed-media-layer';
import { BENCH_ADMIN_KEY, jsonRequest, ROOT, startProduct, stopServer, waitForHttp } from './http-bench-lib';
import { runBench } from './run-bench';

/**
 * `npm run bench:mixed`: BENCH_CLIENTS (default 50) clients, each looping over one call's whole life for
 * BENCH_SECONDS (default 10): make it, answer it through media signals (ringing, answered), join it to one
 * of ten conferences, kick it, hang it up, list the tenant's calls. Prints p50/p99 per route and the loops
 * per second. The server runs as `npm start` does (embedded store on disk, FULL sync), pinned to core 1,
 * the clients pinned to core 0; `MEDIA_GATEWAY_MODE=external`, the bench plays the media layer.
 *
 * BENCH_MEDIA=direct (default, the figures in docs/PERFORMANCE.md) signals each call with the id from the
 * client's POST answer, which no real media layer has. BENCH_MEDIA=feed plays it as one is built: a
 * `FeedMediaLayer` follows GET /v1/events and dials, bridges and confirms from the feed; the clients wait
 * for its `answered` and `joined`, and the media layer's own signal latencies are reported.
 */
const ADMIN_KEY = BENCH_ADMIN_KEY;
const PORT = '39105';
const BASE = `http://127.0.0.1:${PORT}`;

type Body = { id: string; key: string; api_key: { key: string }; customer: { id: string } };
const latencies = new Map<string, number[]>();
let failures = 0;

async function timed(route: string, method: string, url: string, key: string, body?: unknown): Promise<Body> {
  const started = performance.now();
  const response = await fetch(`${BASE}${url}`, jsonRequest(method, key, body));
  const text = await response.text();
  const elapsed = performance.now() - started;
  const list = latencies.get(route) ?? [];
  latencies.set(route, list);
  list.push(elapsed);
  if (response.status >= 300) {
    failures++;
    throw new Error(`${method} ${url}: ${response.status} ${text}`);
  }
  return JSON.parse(text) as Body;
}

/** Time from a client's request until the feed-following media layer has sent `signal`. */
async function waited(route: string, done: Promise<void>): Promise<void> {
  const started = performance.now();
  await done;
  const list = latencies.get(route) ?? [];
  latencies.set(route, list);
  list.push(performance.now() - started);
}

async function lifeOfACall(
  user: string,
  media: string,
  conferenceId: string,
  feedMedia: FeedMediaLayer | null,
): Promise<void> {
  const call = await timed('POST /v1/calls', 'POST', '/v1/calls', user, {
    contact_id: 'bench',
    type: 'voice',
  });
  if (feedMedia)
    await waited('made → answered (media layer via feed)', feedMedia.signalled(call.id, 'answered'));
  else
    for (const signal of ['ringing', 'answered'])
      await timed('POST /v1/calls/:id/signals', 'POST', `/v1/calls/${call.id}/signals`, media, {
        signal_id: `${call.id}-${signal}`,
        signal,
      });
  const participant = await timed('POST /v1/conferencecalls', 'POST', '/v1/conferencecalls', user, {
    conference_id: conferenceId,
    reference_type: 'call',
    reference_id: call.id,
  });
  if (feedMedia)
    await waited('join → joined (media layer via feed)', feedMedia.signalled(participant.id, 'joined'));
  await timed('DELETE /v1/conferencecalls/:id', 'DELETE', `/v1/conferencecalls/${participant.id}`, user);
  await timed('POST /v1/calls/:id/hangup', 'POST', `/v1/calls/${call.id}/hangup`, user);
  await timed('GET /v1/calls (20 rows)', 'GET', '/v1/calls?page_size=20', user);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const clients = Number(process.env.BENCH_CLIENTS ?? 50);
  // BENCH_APP runs another build (e.g. a baseline commit's dist) against the same load, for A/B figures.
  const app = process.env.BENCH_APP ?? 'dist/main.js';
  if (!process.env.BENCH_APP)
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-mixed-bench-'));
  const server = await startProduct(app, PORT, dataDir);
  let loops = 0;
  let elapsedSec = 0;
  let feedMedia: FeedMediaLayer | null = null;
  try {
    await waitForHttp(`${BASE}/openapi.json`);
    const customer = await timed('setup', 'POST', '/v1/customers', ADMIN_KEY, { name: 'bench' });
    const user = customer.api_key.key;
    const media = (
      await timed('setup', 'POST', `/v1/customers/${customer.customer.id}/keys`, ADMIN_KEY, {
        role: 'media',
      })
    ).key;
    const conferences: string[] = [];
    for (let i = 0; i < 10; i++)
      conferences.push(
        (await timed('setup', 'POST', '/v1/conferences', user, { type: 'conference', name: 'b' })).id,
      );
    latencies.clear();
    feedMedia = process.env.BENCH_MEDIA === 'feed' ? await FeedMediaLayer.start(BASE, media) : null;

    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        while (performance.now() < deadline) {
          try {
            await lifeOfACall(user, media, conferences[client % conferences.length], feedMedia);
            loops++;
          } catch (error) {
            if (failures <= 5) console.error(String(error));
          }
        }
      }),
    );
    elapsedSec = (performance.now() - started) / 1000;
    if (feedMedia) {
      await feedMedia.close();
      const signals = feedMedia.signals.map((signal) => signal.latencyMs);
      latencies.set('POST /v1/{calls,conferencecalls}/:id/signals (media layer)', signals);
      failures += feedMedia.signals.filter((signal) => signal.status >= 300).length;
    }
  } finally {
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  console.log(
    `\n${clients} clients, ${elapsedSec.toFixed(1)} s, ${loops} call lives (${(loops / elapsedSec).toFixed(1)}/s), ${failures} failed requests\n`,
  );
  console.log('| route | requests | req/s | p50 ms | p99 ms |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [route, list] of latencies) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(
      `| ${route} | ${sorted.length} | ${(sorted.length / elapsedSec).toFixed(0)} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} |`,
    );
  }
  if (failures > 0) console.log('WARNING: some requests failed; the figures are not valid');
}

runBench(main);
