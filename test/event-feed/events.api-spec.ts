import { TestApp } from '../support/test-app';
import { SseTestClient } from './sse-test-client';

const CALL_LIFECYCLE = ['call.created', 'call.ringing', 'call.answered', 'call.terminating', 'call.hangup'];

describe('GET /v1/events', () => {
  let api: TestApp;
  let tenant: { customerId: string; key: string };
  let other: { customerId: string; key: string };
  const clients: SseTestClient[] = [];

  beforeAll(async () => {
    api = await TestApp.start({
      config: { simRingDelayMs: 0, simAnswerDelayMs: 0, eventFeedBookmarkMs: 200, eventFeedHeartbeatMs: 100 },
    });
    tenant = await api.createCustomer('Feed A');
    other = await api.createCustomer('Feed B');
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => api.close());

  const connect = async (query = '', key = tenant.key, lastEventId?: string) => {
    const client = new SseTestClient(`${api.baseUrl}/v1/events${query}`, key, lastEventId);
    clients.push(client);
    await client.opened();
    return client;
  };

  const waitForStatus = async (id: string, status: string, key: string) => {
    for (let i = 0; i < 250; i++) {
      const call = await api.request('GET', `/v1/calls/${id}`, { key });
      if (call.body.status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`call ${id} never reached ${status}`);
  };

  /** A call through its whole life: the simulated gateway rings and answers at once, then we hang up. */
  const callLifecycle = async (key = tenant.key): Promise<string> => {
    const made = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'jj084' } });
    expect(made.status).toBe(201);
    const id = made.body.id;
    await waitForStatus(id, 'progressing', key);
    expect((await api.request('POST', `/v1/calls/${id}/hangup`, { key, body: {} })).status).toBe(200);
    await waitForStatus(id, 'hangup', key);
    return id;
  };

  it('streams a call from creation to the end-of-call report, as CloudEvents carrying the REST view', async () => {
    const client = await connect();
    const callId = await callLifecycle();
    await client.until((c) => c.types().includes('call.hangup'));
    const mine = client.events.filter((event) => event.data.subject === callId);
    expect(mine.map((event) => event.type)).toEqual(CALL_LIFECYCLE);
    const ids = mine.map((event) => BigInt(event.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    const hangup = mine[4].data;
    expect(hangup).toMatchObject({
      specversion: '1.0',
      source: '/v1/calls',
      type: 'call.hangup',
      subject: callId,
      datacontenttype: 'application/json',
      sequence: mine[4].id,
      customerid: tenant.customerId,
    });
    expect(hangup.data).toMatchObject({ status: 'hangup', hangup_by: 'local', hangup_reason: 'normal' });
    expect(typeof hangup.data.duration).toBe('number');
    // data is the resource as the REST API shows it after the event.
    const rest = await api.request('GET', `/v1/calls/${callId}`, { key: tenant.key });
    expect(hangup.data).toEqual(rest.body);
    // Internal names and camelCase never leak.
    expect(JSON.stringify(client.events)).not.toMatch(/CallHungUp|hangupReason|customerId/);
  });

  it('resumes with Last-Event-ID after a disconnect: nothing missed, nothing twice', async () => {
    const first = await connect();
    const callA = await callLifecycle();
    await first.until((c) => c.events.some((e) => e.type === 'call.answered' && e.data.subject === callA));
    first.close();
    const seen = [...first.events];
    const lastId = seen[seen.length - 1].id;
    const callB = await callLifecycle();
    const second = await connect('', tenant.key, lastId);
    await second.until((c) => c.events.some((e) => e.type === 'call.hangup' && e.data.subject === callB));
    const all = [...seen, ...second.events];
    const ids = all.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.filter((e) => e.data.subject === callA).map((e) => e.type)).toEqual(CALL_LIFECYCLE);
    expect(all.filter((e) => e.data.subject === callB).map((e) => e.type)).toEqual(CALL_LIFECYCLE);
  });

  it('resumes with ?after= from history, in order', async () => {
    const start = (await api.request('GET', '/v1/events?page_size=1', { key: tenant.key })).body;
    const callId = await callLifecycle();
    const client = await connect(`?after=0&call_id=${callId}`);
    await client.until((c) => c.types().includes('call.hangup'));
    expect(client.types()).toEqual(CALL_LIFECYCLE);
    expect(start.result.length).toBeLessThanOrEqual(1);
  });

  it('filters by type pattern and sends bookmarks when the filter hides everything', async () => {
    const hangups = await connect('?types=call.hangup,conference.*');
    const nothing = await connect('?types=conference.terminated');
    const callId = await callLifecycle();
    await hangups.until((c) => c.events.some((e) => e.data.subject === callId));
    expect(hangups.types()).toEqual(['call.hangup']);
    await nothing.until((c) => c.bookmarks.length > 0);
    expect(nothing.events).toEqual([]);
    expect(BigInt(nothing.bookmarks.at(-1) as string)).toBeGreaterThan(0n);
  });

  it('shows another tenant none of it', async () => {
    const foreign = await connect('', other.key);
    const callId = await callLifecycle();
    const mine = await connect(`?after=0&call_id=${callId}`);
    await mine.until((c) => c.types().includes('call.hangup'));
    await foreign.until((c) => c.bookmarks.some((id) => BigInt(id) >= BigInt(mine.events[4].id)));
    expect(foreign.events).toEqual([]);
    const page = await api.request('GET', `/v1/events?after=0&call_id=${callId}`, { key: other.key });
    expect(page.body.result).toEqual([]);
  });

  it('answers a JSON page without the SSE header, continuing from next_page_token', async () => {
    const callId = await callLifecycle();
    const first = await api.request('GET', `/v1/events?after=0&call_id=${callId}&page_size=2`, {
      key: tenant.key,
    });
    expect(first.status).toBe(200);
    expect(first.body.result.map((e: any) => e.type)).toEqual(CALL_LIFECYCLE.slice(0, 2));
    const rest = await api.request(
      'GET',
      `/v1/events?page_token=${first.body.next_page_token}&call_id=${callId}`,
      { key: tenant.key },
    );
    expect(rest.body.result.map((e: any) => e.type)).toEqual(CALL_LIFECYCLE.slice(2));
    expect(typeof rest.body.next_page_token).toBe('string');
  });

  it('ends a stream whose key is revoked, before any later event, and refuses it on reconnect', async () => {
    const issued = await api.request('POST', `/v1/customers/${tenant.customerId}/keys`, {
      body: { role: 'user' },
    });
    expect(issued.status).toBe(201);
    const revokedStream = await connect('?types=conference.*', issued.body.key);
    const witness = await connect('?types=conference.*');
    let ended = false;
    revokedStream.source.onerror = () => {
      ended = true;
    };
    const revoked = await api.request('DELETE', `/v1/customers/${tenant.customerId}/keys/${issued.body.id}`);
    expect(revoked.status).toBe(200);
    const created = await api.request('POST', '/v1/conferences', {
      key: tenant.key,
      body: { type: 'conference', name: 'after the revoke' },
    });
    expect(created.status).toBe(201);
    await witness.until((c) => c.events.some((e) => e.data.subject === created.body.id));
    await revokedStream.until(() => ended);
    expect(revokedStream.events.filter((e) => e.data.subject === created.body.id)).toEqual([]);
    // eventsource's reconnect meets 401 and gives up: CLOSED, not CONNECTING.
    await revokedStream.until(() => revokedStream.source.readyState === revokedStream.source.CLOSED, 5_000);
  });

  it('keeps the streams of other keys of the tenant open when one key is revoked', async () => {
    const issued = await api.request('POST', `/v1/customers/${tenant.customerId}/keys`, {
      body: { role: 'user' },
    });
    const kept = await connect('?types=conference.*');
    const doomed = await connect('?types=conference.*', issued.body.key);
    expect(
      (await api.request('DELETE', `/v1/customers/${tenant.customerId}/keys/${issued.body.id}`)).status,
    ).toBe(200);
    const created = await api.request('POST', '/v1/conferences', {
      key: tenant.key,
      body: { type: 'conference', name: 'still streaming' },
    });
    await kept.until((c) => c.events.some((e) => e.data.subject === created.body.id));
    expect(kept.source.readyState).toBe(kept.source.OPEN);
    await doomed.until(() => doomed.source.readyState !== doomed.source.OPEN);
  });

  it.each([
    ['?after=abc', 'after'],
    ['?after=99999999999', 'after'],
    ['?types=call.exploded', 'types'],
    ['?types=DROP TABLE', 'types'],
    ['?call_id=not-a-uuid', 'call_id'],
    ['?page_size=0', 'page_size'],
    ['?unknown=1', 'unknown'],
    ['?page_token=zz', 'page_token'],
  ])('refuses %s with a 400 problem', async (query, field) => {
    for (const accept of ['application/json', 'text/event-stream']) {
      const response = await api.request('GET', `/v1/events${query}`, {
        key: tenant.key,
        headers: { accept },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(response.body.errors)).toContain(field);
    }
  });

  it('refuses a malformed Last-Event-ID and a missing key', async () => {
    const bad = await api.request('GET', '/v1/events', {
      key: tenant.key,
      headers: { accept: 'text/event-stream', 'last-event-id': '12x' },
    });
    expect(bad.status).toBe(400);
    expect((await api.request('GET', '/v1/events', { key: null })).status).toBe(401);
  });
});
