import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ServerProcess } from '../ops/support/server-process';

const ADMIN_KEY = 'sb_crash_admin_key_0123456789abcdef';
const CONFERENCE = { type: 'conference', name: 'crash test' };
const CALL = { destination: { type: 'tel', target: '+15551234567' } };

interface Answer {
  status: number;
  body: any;
}

async function send(
  server: ServerProcess,
  method: string,
  path: string,
  key: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const response = await fetch(server.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** What a kill -9 between the command's commit and the recording of its response leaves behind. */
function forgetResponse(dataDir: string, idempotencyKey: string, deadPid: number): void {
  const db = new Database(join(dataDir, 'idempotency.db'));
  const changed = db
    .prepare(
      `UPDATE idempotency_keys SET state = 'in_progress', response = NULL, owner_pid = ? WHERE key = ?`,
    )
    .run(deadPid, idempotencyKey).changes;
  db.close();
  expect(changed).toBe(1);
}

/** What a kill -9 after the claim and before the command's commit leaves behind: a claim and no events. */
function claimOnly(dataDir: string, fromKey: string, newKey: string, deadPid: number): void {
  const db = new Database(join(dataDir, 'idempotency.db'));
  db.prepare(
    `INSERT INTO idempotency_keys (customer_id, key, fingerprint, state, response, created_at, owner_boot, owner_pid)
     SELECT customer_id, ?, fingerprint, 'in_progress', NULL, created_at, owner_boot, ? FROM idempotency_keys WHERE key = ?`,
  ).run(newKey, deadPid, fromKey);
  db.close();
}

describe('Idempotency-Key across kill -9', () => {
  let dataDir: string;
  let server: ServerProcess;
  let userKey: string;

  const restart = async () => {
    await server.kill();
    server = await ServerProcess.start({ DATA_DIR: dataDir, ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'log' });
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-idem-crash-'));
    server = await ServerProcess.start({ DATA_DIR: dataDir, ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'log' });
    const customer = await send(server, 'POST', '/v1/customers', ADMIN_KEY, { name: 'Crash' });
    userKey = customer.body.api_key.key;
  }, 60_000);

  afterAll(() => server.kill());

  it('a retry after the response was lost returns the resource the first attempt committed, at once', async () => {
    const conference = await send(server, 'POST', '/v1/conferences', userKey, CONFERENCE, 'conf-lost');
    const call = await send(server, 'POST', '/v1/calls', userKey, CALL, 'call-lost');
    expect([conference.status, call.status]).toEqual([201, 201]);
    const deadPid = server.pid;
    await restart();
    forgetResponse(dataDir, 'conf-lost', deadPid);
    forgetResponse(dataDir, 'call-lost', deadPid);

    const conferenceRetry = await send(server, 'POST', '/v1/conferences', userKey, CONFERENCE, 'conf-lost');
    const callRetry = await send(server, 'POST', '/v1/calls', userKey, CALL, 'call-lost');

    expect(conferenceRetry).toMatchObject({ status: 201, body: { id: conference.body.id } });
    expect(callRetry).toMatchObject({ status: 201, body: { id: call.body.id } });
    const conferences = await send(server, 'GET', '/v1/conferences', userKey);
    const calls = await send(server, 'GET', '/v1/calls', userKey);
    expect(conferences.body.result.map((c: { id: string }) => c.id)).toEqual([conference.body.id]);
    expect(calls.body.result.map((c: { id: string }) => c.id)).toEqual([call.body.id]);
  }, 90_000);

  it('a retry of a claim whose command never committed runs the command once', async () => {
    const before = await send(server, 'GET', '/v1/conferences', userKey);
    const deadPid = server.pid;
    await restart();
    claimOnly(dataDir, 'conf-lost', 'conf-claimed', deadPid);

    const retry = await send(server, 'POST', '/v1/conferences', userKey, CONFERENCE, 'conf-claimed');
    const again = await send(server, 'POST', '/v1/conferences', userKey, CONFERENCE, 'conf-claimed');

    expect(retry.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: { id: retry.body.id } });
    const after = await send(server, 'GET', '/v1/conferences', userKey);
    expect(after.body.result).toHaveLength(before.body.result.length + 1);
  }, 90_000);

  it('kill -9 with creations in flight: every retry answers at once and nothing exists twice', async () => {
    const keys = Array.from({ length: 16 }, (_, i) => `inflight-${i}`);
    // Odd keys make calls, even keys conferences; the retry sends exactly the same request.
    const create = (key: string, i: number) =>
      send(server, 'POST', i % 2 ? '/v1/calls' : '/v1/conferences', userKey, i % 2 ? CALL : CONFERENCE, key);
    const inFlight = keys.map((key, i) => create(key, i).catch(() => null));
    // Let some of them reach the command, then pull the plug.
    await Promise.race([inFlight[0], new Promise((resolve) => setTimeout(resolve, 150))]);
    await restart();
    await Promise.all(inFlight);

    const retries = await Promise.all(keys.map(create));
    expect(retries.map((r) => r.status)).toEqual(keys.map(() => 201));
    const conferences = await send(server, 'GET', '/v1/conferences?page_size=100', userKey);
    const calls = await send(server, 'GET', '/v1/calls?page_size=100', userKey);
    const listed = new Set(
      [...conferences.body.result, ...calls.body.result].map((r: { id: string }) => r.id),
    );
    for (const retry of retries) expect(listed.has(retry.body.id)).toBe(true);
    // Two earlier conferences and one earlier call, plus exactly one resource per key.
    expect(conferences.body.result.length + calls.body.result.length).toBe(3 + keys.length);
  }, 90_000);
});
