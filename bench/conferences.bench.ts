import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, startServer, stopServer } from './http-bench-lib';
import { runBench } from './run-bench';

/**
 * `npm run bench:conferences`: conferences over HTTP against `dist/main.js` (embedded store, FULL sync).
 *  1. Join + kick round trips per second: C workers, each with its own answered call and its own conference
 *     (so workers do not conflict on one conference stream), loop for BENCH_SECONDS: join (201, joining) →
 *     media `joined` → kick (leaving) → media `left` (leaved) → poll the call until it is released (the
 *     clean-up saga's CallReleasedFromConference is in the call read model), so it can join again.
 *  2. BENCH_PARTICIPANTS (default 250) joined calls of one conference hang up at once (concurrent media
 *     `hangup` signals): the time until `GET /v1/conferences/:id` shows participant_count 0, and the time
 *     for the 250 hangup requests alone. The rest is the auto-leave and clean-up sagas and the read model.
 *
 * Media mode: `MEDIA_GATEWAY_MODE=external`, the bench plays the media layer with a `media` key. The
 * simulated gateway confirms joins and leaves after a fixed, non-configurable 200 ms (conferenceDelayMs),
 * which would make a round trip ≥ 400 ms of sleeping and measure the simulator, not the server. External
 * mode is also how production runs; the cost is that the confirmations are two more HTTP requests per round
 * trip, included in the figure.
 * Environment: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10), BENCH_PARTICIPANTS (default 250).
 */
const ADMIN_KEY = 'sb_bench_admin_key_0123456789abcdefgh';
const PORT = '39104';
const BASE = `http://127.0.0.1:${PORT}`;
const POLL_MS = 5;

/** The response fields this bench reads; which ones are present depends on the route. */
type Fields = {
  id: string;
  key: string;
  status: string;
  conference_id: string | null;
  participant_count: number;
  customer: { id: string };
  api_key: { key: string };
  result: unknown[];
  next_page_token: string | null;
};
type Reply = { status: number; body: Fields; revision: number | null };

async function http(method: string, route: string, key: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${BASE}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const etag = response.headers.get('etag');
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    revision: etag ? Number(etag.replaceAll('"', '')) : null,
  };
}

/** A request that must succeed: any other status aborts the bench, since its figure would be invalid. */
async function must(
  status: number,
  method: string,
  route: string,
  key: string,
  body?: unknown,
): Promise<Reply> {
  const reply = await http(method, route, key, body);
  if (reply.status !== status)
    throw new Error(
      `${method} ${route} answered ${reply.status}, expected ${status}: ${JSON.stringify(reply.body)}`,
    );
  return reply;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForHttp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      await fetch(url);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${url} never answered`);
}

/** Runs `task` over `items` with at most `limit` in flight (setup only; not measured). */
async function inBatches<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit)
    results.push(...(await Promise.all(items.slice(i, i + limit).map(task))));
  return results;
}

type Keys = { user: string; media: string };

async function answeredCall(keys: Keys): Promise<string> {
  const id: string = (await must(201, 'POST', '/v1/calls', keys.user, { contact_id: 'bench', type: 'voice' }))
    .body.id;
  for (const signal of ['ringing', 'answered'])
    await must(200, 'POST', `/v1/calls/${id}/signals`, keys.media, { signal_id: `${id}-${signal}`, signal });
  return id;
}

async function createConference(keys: Keys): Promise<string> {
  return (await must(201, 'POST', '/v1/conferences', keys.user, { type: 'conference', name: 'bench' })).body
    .id;
}

async function joinConfirmed(keys: Keys, conferenceId: string, callId: string): Promise<string> {
  const body = { conference_id: conferenceId, reference_type: 'call', reference_id: callId };
  const id: string = (await must(201, 'POST', '/v1/conferencecalls', keys.user, body)).body.id;
  const joined = await must(200, 'POST', `/v1/conferencecalls/${id}/signals`, keys.media, {
    signal_id: `${id}-joined`,
    signal: 'joined',
  });
  if (joined.body.status !== 'joined')
    throw new Error(`participant ${id} is ${joined.body.status}, not joined`);
  return id;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

type RoundTrips = {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  polls: number;
  seconds: number[];
};

/** Each worker: its own answered call and conference; one complete round trip after the other. */
async function roundTrips(keys: Keys, workers: number, durationSec: number): Promise<RoundTrips> {
  const callIds = await inBatches([...Array(workers).keys()], 10, () => answeredCall(keys));
  const conferenceIds = await inBatches(callIds, 10, () => createConference(keys));
  const latencies: number[] = [];
  const perSecond = Array<number>(Math.ceil(durationSec)).fill(0);
  let polls = 0;
  const start = performance.now();
  const end = start + durationSec * 1000;
  const worker = async (callId: string, conferenceId: string) => {
    let revision = (await must(200, 'GET', `/v1/calls/${callId}`, keys.user)).revision!;
    while (performance.now() < end) {
      const began = performance.now();
      const id = await joinConfirmed(keys, conferenceId, callId);
      const kicked = await must(200, 'DELETE', `/v1/conferencecalls/${id}`, keys.user);
      if (kicked.body.status !== 'leaving')
        throw new Error(`kicked participant ${id} is ${kicked.body.status}`);
      const left = await must(200, 'POST', `/v1/conferencecalls/${id}/signals`, keys.media, {
        signal_id: `${id}-left`,
        signal: 'left',
      });
      if (left.body.status !== 'leaved')
        throw new Error(`participant ${id} is ${left.body.status}, not leaved`);
      // Released: assigned then released since the last round (2 new call events), not merely a stale
      // read model that has not yet seen the assignment.
      for (;;) {
        const call = await must(200, 'GET', `/v1/calls/${callId}`, keys.user);
        polls++;
        if (call.body.conference_id === null && call.revision! >= revision + 2) {
          revision = call.revision!;
          break;
        }
        await sleep(POLL_MS);
      }
      const finished = performance.now();
      if (finished > end) break; // only complete round trips inside the window count
      latencies.push(finished - began);
      perSecond[Math.floor((finished - start) / 1000)]++;
    }
  };
  await Promise.all(callIds.map((callId, i) => worker(callId, conferenceIds[i])));
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    perSecond: latencies.length / durationSec,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    polls,
    seconds: perSecond,
  };
}

type MassHangup = { requestsMs: number; zeroMs: number; status: string; leaved: number };

async function massHangup(keys: Keys, participants: number): Promise<MassHangup> {
  const conferenceId = await createConference(keys);
  const callIds = await inBatches([...Array(participants).keys()], 20, () => answeredCall(keys));
  // One join at a time: concurrent joins to one conference conflict on its stream, and the executor gives
  // up after 5 attempts (409 concurrency.conflict). The setup is not what is measured.
  await inBatches(callIds, 1, (callId) => joinConfirmed(keys, conferenceId, callId));
  const before = (await must(200, 'GET', `/v1/conferences/${conferenceId}`, keys.user)).body;
  if (before.participant_count !== participants)
    throw new Error(`conference has ${before.participant_count} participants, expected ${participants}`);

  const start = performance.now();
  const hangups = Promise.all(
    callIds.map((id) =>
      must(200, 'POST', `/v1/calls/${id}/signals`, keys.media, {
        signal_id: `${id}-hangup`,
        signal: 'hangup',
      }),
    ),
  ).then(() => performance.now() - start);
  hangups.catch(() => {}); // a failure is rethrown where it is awaited below; never unhandled meanwhile
  let conference: Fields;
  for (;;) {
    conference = (await must(200, 'GET', `/v1/conferences/${conferenceId}`, keys.user)).body;
    if (conference.participant_count === 0) break;
    if (performance.now() - start > 120_000)
      throw new Error(`still ${conference.participant_count} after 120 s`);
    await sleep(POLL_MS);
  }
  const zeroMs = performance.now() - start;
  const requestsMs = await hangups;
  // Not timed: every participant really is leaved, not merely uncounted.
  let leaved = 0;
  let token: string | null = null;
  do {
    const query: string = `conference_id=${conferenceId}&status=leaved&page_size=100${token ? `&page_token=${token}` : ''}`;
    const page = (await must(200, 'GET', `/v1/conferencecalls?${query}`, keys.user)).body;
    leaved += page.result.length;
    token = page.next_page_token || null;
  } while (token);
  return { requestsMs, zeroMs, status: conference.status, leaved };
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const participants = Number(process.env.BENCH_PARTICIPANTS ?? 250);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-conferences-bench-'));
  const server = await startServer(
    'dist/main.js',
    {
      PORT,
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      MEDIA_GATEWAY_MODE: 'external',
    },
    null,
  );
  try {
    await waitForHttp(`${BASE}/openapi.json`);
    const created = (await must(201, 'POST', '/v1/customers', ADMIN_KEY, { name: 'bench' })).body;
    const media = (
      await must(201, 'POST', `/v1/customers/${created.customer.id}/keys`, ADMIN_KEY, { role: 'media' })
    ).body.key;
    const keys: Keys = { user: created.api_key.key, media };

    await roundTrips(keys, connections, 2); // warm-up: JIT, SQLite page cache
    const trips = await roundTrips(keys, connections, seconds);
    const hangup = await massHangup(keys, participants);

    const ms = (value: number) => value.toFixed(1);
    console.log(`\n| scenario | figure | p50 ms | p99 ms | count |`);
    console.log('| --- | ---: | ---: | ---: | ---: |');
    console.log(
      `| join + kick round trip, ${connections} workers, ${seconds} s | ${trips.perSecond.toFixed(1)} round trips/s | ${ms(trips.p50)} | ${ms(trips.p99)} | ${trips.count} |`,
    );
    console.log(
      `| ${participants} participants hang up at once: until participant_count 0 | ${ms(hangup.zeroMs)} ms | | | ${participants} |`,
    );
    console.log(
      `| ${participants} participants hang up at once: the hangup requests alone | ${ms(hangup.requestsMs)} ms | | | ${participants} |`,
    );
    console.log(
      `\njoin + kick round trips: ${trips.perSecond.toFixed(1)}/s (p50 ${ms(trips.p50)} ms, p99 ${ms(trips.p99)} ms; ${trips.count} in ${seconds} s; ${trips.polls} release polls; per second ${trips.seconds.join(' ')})`,
    );
    console.log(
      `${participants} hangups at once → participant_count 0 after ${ms(hangup.zeroMs)} ms (status ${hangup.status}, ${hangup.leaved}/${participants} participants leaved)`,
    );
    console.log(
      `${participants} hangup requests (concurrent media "hangup" signals) answered in ${ms(hangup.requestsMs)} ms`,
    );
    if (hangup.leaved !== participants || hangup.status !== 'progressing')
      console.log('WARNING: the conference did not end as expected; the figure is not valid');
  } finally {
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
