import type { FuzzTargets } from './fuzz-cases';
import { runFuzz } from './fuzz-runner';
import { startFuzzTarget } from './fuzz-target';
import { type OpenApiDocument, routesOf } from './openapi-routes';

/**
 * Seeded, bounded fuzzing of every route of `/openapi.json` and of the HTTP parser (raw sockets).
 * `npm test` runs a short version; `npm run test:fuzz` a long one in a child server
 * (FUZZ_CASES, FUZZ_SEED, FUZZ_CHILD=1). A finding names the case, so the seed replays it.
 */
const CASES = Number(process.env.FUZZ_CASES ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const IN_CHILD = process.env.FUZZ_CHILD === '1';
const MB = 1024 * 1024;

async function call(baseUrl: string, key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** A tenant with a call, a conference and a participant, so fuzzed ids often name something real. */
async function seedTargets(baseUrl: string, adminKey: string): Promise<FuzzTargets> {
  const customer = await call(baseUrl, adminKey, 'POST', '/v1/customers', { name: 'Fuzz' });
  const customerId: string = customer.body.customer.id;
  const user: string = customer.body.api_key.key;
  const media = await call(baseUrl, adminKey, 'POST', `/v1/customers/${customerId}/keys`, { role: 'media' });
  const madeCall = await call(baseUrl, user, 'POST', '/v1/calls', {
    destination: { type: 'tel', target: '+15550100' },
  });
  const conference = await call(baseUrl, user, 'POST', '/v1/conferences', { type: 'conference' });
  const ids = [customerId, customer.body.api_key.id, media.body.id, madeCall.body.id, conference.body.id];
  for (let attempt = 0; attempt < 50; attempt++) {
    const joined = await call(baseUrl, user, 'POST', '/v1/conferencecalls', {
      conference_id: conference.body.id,
      reference_type: 'call',
      reference_id: madeCall.body.id,
    });
    if (joined.status === 201) {
      ids.push(joined.body.id);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    keys: { admin: adminKey, user, media: media.body.key },
    ids: ids.filter((id) => typeof id === 'string'),
  };
}

describe('fuzzing every route', () => {
  it(
    `${CASES} seeded cases: no 5xx, no stack trace, and the server is healthy afterwards`,
    async () => {
      const target = await startFuzzTarget(IN_CHILD);
      try {
        const openapi = (await fetch(`${target.baseUrl}/openapi.json`).then((r) =>
          r.json(),
        )) as OpenApiDocument;
        const routes = routesOf(openapi);
        const targets = await seedTargets(target.baseUrl, target.adminKey);
        const rssBefore = target.rssBytes();

        const report = await runFuzz(target.baseUrl, routes, targets, {
          seed: SEED,
          cases: CASES,
          concurrency: 4,
        });

        const rssAfter = target.rssBytes();
        process.stdout.write(
          `fuzz: ${JSON.stringify({ ...report, findings: report.findings.length, routes: routes.length, rssBeforeMb: Math.round(rssBefore / MB), rssAfterMb: Math.round(rssAfter / MB), server: IN_CHILD ? 'child process' : 'in process' })}\n`,
        );
        expect(routes.length).toBeGreaterThanOrEqual(20);
        expect(report.findings).toEqual([]);
        expect(target.alive()).toBe(true);
        // A fresh tenant: the fuzzer may have revoked the seeded keys (DELETE .../keys/:keyId is a route too).
        const fresh = await seedTargets(target.baseUrl, target.adminKey);
        const healthy = await call(target.baseUrl, fresh.keys.user, 'POST', '/v1/conferences', {
          type: 'conference',
        });
        expect(healthy.status).toBe(201);
        expect(
          (await call(target.baseUrl, fresh.keys.user, 'GET', `/v1/conferences/${healthy.body.id}`)).status,
        ).toBe(200);
      } finally {
        await target.close();
      }
    },
    Number(process.env.FUZZ_TIMEOUT_MS ?? 60_000),
  );
});
