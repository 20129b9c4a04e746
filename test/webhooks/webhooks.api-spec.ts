import { Webhook } from 'standardwebhooks';
import { TestApp } from '../support/test-app';
import { type ReceivedDelivery, WebhookReceiver } from './webhook-receiver';

const CALL_LIFECYCLE = ['call.created', 'call.ringing', 'call.answered', 'call.terminating', 'call.hangup'];

const verify = (secret: string, delivery: ReceivedDelivery) =>
  new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>) as { type: string };

describe('webhooks', () => {
  let api: TestApp;
  let receiver: WebhookReceiver;
  let tenant: { customerId: string; key: string };
  let other: { customerId: string; key: string };

  beforeAll(async () => {
    api = await TestApp.start({
      config: {
        simRingDelayMs: 0,
        simAnswerDelayMs: 0,
        webhookAllowPrivateTargets: true,
        webhookRetrySchedule: [0, 0, 0, 0],
      },
    });
    tenant = await api.createCustomer('Hooks A');
    other = await api.createCustomer('Hooks B');
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.close());
  afterAll(() => api.close());

  const createEndpoint = async (body: Record<string, unknown>, key = tenant.key) => {
    const response = await api.request('POST', '/v1/webhook-endpoints', { key, body });
    expect(response.status).toBe(201);
    return response.body;
  };
  const waitForStatus = async (path: string, status: string) => {
    for (let i = 0; i < 250; i++) {
      if ((await api.request('GET', path, { key: tenant.key })).body.status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${path} never reached ${status}`);
  };
  const callLifecycle = async (): Promise<string> => {
    const made = await api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'jj084' } });
    await waitForStatus(`/v1/calls/${made.body.id}`, 'progressing');
    await api.request('POST', `/v1/calls/${made.body.id}/hangup`, { key: tenant.key, body: {} });
    await waitForStatus(`/v1/calls/${made.body.id}`, 'hangup');
    return made.body.id;
  };

  it('a new subscriber gets every event of a call and a conference, signed and in order', async () => {
    const endpoint = await createEndpoint({ url: receiver.url(), description: 'crm' });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const foreign = await WebhookReceiver.start();
    await createEndpoint({ url: foreign.url() }, other.key);

    const callId = await callLifecycle();
    const conference = await api.request('POST', '/v1/conferences', {
      key: tenant.key,
      body: { type: 'conference', name: 'standup', detail: '' },
    });
    const stop = await api.request('POST', `/v1/conferences/${conference.body.id}/stop`, { key: tenant.key });
    expect(stop.status).toBeLessThan(300);

    await receiver.until((r) => r.some((d) => JSON.parse(d.body).type === 'conference.terminated'));
    const events = receiver.received.map((delivery) => verify(endpoint.secret, delivery) as any);
    const ofCall = events.filter((e) => e.subject === callId);
    expect(ofCall.map((e) => e.type)).toEqual(CALL_LIFECYCLE);
    expect(ofCall.at(-1).data).toMatchObject({ hangup_by: 'local', hangup_reason: 'normal' });
    const ofConference = events.filter((e) => e.subject === conference.body.id).map((e) => e.type);
    expect(ofConference[0]).toBe('conference.created');
    expect(ofConference.at(-1)).toBe('conference.terminated');
    const sequences = events.map((e) => BigInt(e.sequence));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);
    // webhook-id is the delivery id, listed in the log.
    let log: any;
    for (let i = 0; i < 100; i++) {
      log = await api.request('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key: tenant.key });
      if (log.body.result.every((d: any) => d.status === 'succeeded')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(log.body.result.map((d: any) => d.id)).toEqual(
      expect.arrayContaining(receiver.received.map((d) => d.headers['webhook-id'])),
    );
    expect(log.body.result[0]).toMatchObject({ status: 'succeeded', last_status_code: 200 });

    // Another tenant's endpoint saw none of it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(foreign.received).toEqual([]);
    await foreign.close();
  });

  it('a receiver answering 500 twice gets the third attempt; the log shows all three', async () => {
    receiver.respond = (_, index) => ({ status: index < 2 ? 500 : 200 });
    const endpoint = await createEndpoint({ url: receiver.url(), event_types: ['call.created'] });
    await api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'jj084' } });
    await receiver.until((r) => r.length === 3);
    const ids = new Set(receiver.received.map((d) => d.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const delivery of receiver.received)
      expect(verify(endpoint.secret, delivery).type).toBe('call.created');
    let log: any;
    for (let i = 0; i < 100; i++) {
      log = (await api.request('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key: tenant.key }))
        .body;
      if (log.result[0]?.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(log.result[0].attempts.map((a: any) => a.status_code)).toEqual([500, 500, 200]);
  });

  it('a receiver that keeps failing does not hold back another endpoint, which gets each delivery once', async () => {
    const failing = await WebhookReceiver.start();
    failing.respond = () => ({ status: 503 });
    await createEndpoint({ url: failing.url(), event_types: ['call.created'] });
    const endpoint = await createEndpoint({ url: receiver.url(), event_types: ['call.created'] });
    const made = await Promise.all(
      Array.from({ length: 30 }, () =>
        api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'burst' } }),
      ),
    );
    const callIds = made.map((response) => response.body.id).sort();
    await receiver.until((r) => r.length >= 30);
    // A moment more: a delivery sent twice (its slot freed before the log showed the attempt) would show.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const subjects = receiver.received.map((d) => (verify(endpoint.secret, d) as any).subject).sort();
    expect(subjects).toEqual(callIds);
    expect(new Set(receiver.received.map((d) => d.headers['webhook-id'])).size).toBe(30);
    expect(failing.received.length).toBeGreaterThan(0);
    await failing.close();
  });

  it('never sends events older than the endpoint', async () => {
    const before = await api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'old' } });
    const endpoint = await createEndpoint({ url: receiver.url(), event_types: ['call.created'] });
    const after = await api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'new' } });
    await receiver.until((r) => r.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const subjects = receiver.received.map((d) => verify(endpoint.secret, d) as any).map((e) => e.subject);
    expect(subjects).toEqual([after.body.id]);
    expect(subjects).not.toContain(before.body.id);
  });

  it('410 disables the endpoint, and that is an event', async () => {
    receiver.respond = () => ({ status: 410 });
    const endpoint = await createEndpoint({ url: receiver.url(), event_types: ['call.created'] });
    await api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'jj084' } });
    await receiver.until((r) => r.length === 1);
    let view: any;
    for (let i = 0; i < 100; i++) {
      view = (await api.request('GET', `/v1/webhook-endpoints/${endpoint.id}`, { key: tenant.key })).body;
      if (!view.enabled) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(view).toMatchObject({ enabled: false, disabled_reason: 'gone' });
  });

  it('after rotate-secret, deliveries are signed with both secrets', async () => {
    const endpoint = await createEndpoint({ url: receiver.url(), event_types: ['call.created'] });
    const rotated = await api.request('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {
      key: tenant.key,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    await api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'jj084' } });
    await receiver.until((r) => r.length === 1);
    expect(verify(endpoint.secret, receiver.received[0]).type).toBe('call.created');
    expect(verify(rotated.body.secret, receiver.received[0]).type).toBe('call.created');
    expect(String(receiver.received[0].headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('manual retry re-sends a delivery; recover re-sends a window', async () => {
    const endpoint = await createEndpoint({ url: receiver.url(), event_types: ['call.created'] });
    const since = new Date(Date.now() - 1000).toISOString();
    await api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'jj084' } });
    await receiver.until((r) => r.length === 1);
    let delivery: any;
    for (let i = 0; i < 100; i++) {
      delivery = (
        await api.request('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`, { key: tenant.key })
      ).body.result[0];
      if (delivery?.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const retry = await api.request(
      'POST',
      `/v1/webhook-endpoints/${endpoint.id}/deliveries/${delivery.id}/retry`,
      { key: tenant.key },
    );
    expect(retry.status).toBe(202);
    await receiver.until((r) => r.length === 2);
    expect(receiver.received[1].headers['webhook-id']).toBe(delivery.id);
    const recover = await api.request('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, {
      key: tenant.key,
      body: { since },
    });
    expect(recover.status).toBe(202);
    expect(recover.body.scheduled).toBe(1);
    await receiver.until((r) => r.length === 3);
    expect(verify(endpoint.secret, receiver.received[2]).type).toBe('call.created');
  });

  it('CRUD: list, get, patch, delete; the secret is never shown again', async () => {
    const endpoint = await createEndpoint({ url: receiver.url() });
    const got = await api.request('GET', `/v1/webhook-endpoints/${endpoint.id}`, { key: tenant.key });
    expect(got.body).toMatchObject({
      id: endpoint.id,
      url: receiver.url(),
      event_types: null,
      enabled: true,
    });
    expect(got.body.secret).toBeUndefined();
    const patched = await api.request('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, {
      key: tenant.key,
      body: { event_types: ['conference.*'], enabled: false },
    });
    expect(patched.body).toMatchObject({ event_types: ['conference.*'], enabled: false });
    const list = await api.request('GET', '/v1/webhook-endpoints', { key: tenant.key });
    expect(list.body.result.map((e: any) => e.id)).toContain(endpoint.id);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expect(
      (await api.request('DELETE', `/v1/webhook-endpoints/${endpoint.id}`, { key: tenant.key })).status,
    ).toBe(204);
    expect(
      (await api.request('GET', `/v1/webhook-endpoints/${endpoint.id}`, { key: tenant.key })).status,
    ).toBe(404);
  });

  it.each([
    [{ url: 'not a url' }, 'url'],
    [{ url: 'ftp://example.com/x' }, 'url'],
    [{ url: 'https://user:pw@example.com/x' }, 'url'],
    [{ url: 'https://example.com', event_types: ['call.exploded'] }, 'event_types'],
    [{ url: 'https://example.com', event_types: 'call.*' }, 'event_types'],
    [{ url: 'https://example.com', enabled: 'yes' }, 'enabled'],
    [{ url: 'https://example.com', secret: 'mine' }, 'secret'],
    [{}, 'url'],
  ])('refuses a bad endpoint %j with a 400 naming %s', async (body, field) => {
    const response = await api.request('POST', '/v1/webhook-endpoints', { key: tenant.key, body });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain(field);
    const patch = await api.request('PATCH', `/v1/webhook-endpoints/00000000-0000-7000-8000-000000000999`, {
      key: tenant.key,
      body: { ...body, url: (body as any).url ?? 'https://example.com' },
    });
    expect([400, 404]).toContain(patch.status);
  });

  it('endpoint lists and delivery logs page like every list: page_size, page_token, 400 for bad ones', async () => {
    const own = await api.createCustomer('Hooks paging');
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push((await createEndpoint({ url: receiver.url() }, own.key)).id);
    const first = await api.request('GET', '/v1/webhook-endpoints?page_size=2', { key: own.key });
    expect(first.status).toBe(200);
    expect(first.body.result).toHaveLength(2);
    expect(typeof first.body.next_page_token).toBe('string');
    const second = await api.request(
      'GET',
      `/v1/webhook-endpoints?page_size=2&page_token=${first.body.next_page_token}`,
      {
        key: own.key,
      },
    );
    expect(second.body.next_page_token).toBeNull();
    const listed = [...first.body.result, ...second.body.result].map((e: { id: string }) => e.id);
    expect([...listed].sort()).toEqual([...created].sort());
    expect(new Set(listed).size).toBe(3);

    const made = await api.request('POST', '/v1/calls', { key: own.key, body: { contact_id: 'pages' } });
    await api.request('POST', `/v1/calls/${made.body.id}/hangup`, { key: own.key, body: {} });
    const log = `/v1/webhook-endpoints/${created[0]}/deliveries`;
    let whole: { id: string }[] = [];
    for (let i = 0; i < 250 && whole.length < 3; i++) {
      whole = (await api.request('GET', `${log}?page_size=100`, { key: own.key })).body.result;
      if (whole.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(whole.length).toBeGreaterThanOrEqual(3);
    const paged: { id: string }[] = [];
    let token: string | null = null;
    do {
      const page: { body: { result: { id: string }[]; next_page_token: string | null } } = await api.request(
        'GET',
        `${log}?page_size=2${token ? `&page_token=${token}` : ''}`,
        { key: own.key },
      );
      expect(page.body.result.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.result);
      token = page.body.next_page_token;
    } while (token !== null && paged.length < 1000);
    expect(paged.map((d) => d.id)).toEqual(whole.map((d) => d.id));

    for (const path of [
      '/v1/webhook-endpoints?page_size=0',
      '/v1/webhook-endpoints?page_size=abc',
      '/v1/webhook-endpoints?page_token=zz',
      '/v1/webhook-endpoints?unknown=1',
      `${log}?page_size=-1`,
      `${log}?page_token=${first.body.next_page_token}`,
      `/v1/calls/${made.body.id}/callback-deliveries?page_size=-1`,
    ]) {
      const refused = await api.request('GET', path, { key: own.key });
      expect([path, refused.status]).toEqual([path, 400]);
    }
  });

  it('refuses private targets unless allowed', async () => {
    const strict = await TestApp.start({ config: { mediaGatewayMode: 'external' } });
    const { key } = await strict.createCustomer('Strict');
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost/x',
      'http://169.254.169.254/latest',
      'http://[::1]/x',
      'http://10.1.2.3/',
    ]) {
      const response = await strict.request('POST', '/v1/webhook-endpoints', { key, body: { url } });
      expect(response.status).toBe(400);
    }
    expect(
      (await strict.request('POST', '/v1/webhook-endpoints', { key, body: { url: 'https://example.com/h' } }))
        .status,
    ).toBe(201);
    await strict.close();
  });

  it('answers 404 for foreign and unknown endpoints and deliveries, on every route', async () => {
    const endpoint = await createEndpoint({ url: receiver.url() });
    const unknown = '00000000-0000-7000-8000-00000000dead';
    for (const id of [endpoint.id, unknown]) {
      const base = `/v1/webhook-endpoints/${id}`;
      const calls: [string, string, unknown?][] = [
        ['GET', base],
        ['PATCH', base, { description: 'x' }],
        ['DELETE', base],
        ['POST', `${base}/rotate-secret`],
        ['GET', `${base}/deliveries`],
        ['POST', `${base}/deliveries/${unknown}/retry`],
        ['POST', `${base}/recover`, { since: '2026-01-01T00:00:00.000Z' }],
      ];
      for (const [method, path, body] of calls) {
        const response = await api.request(method, path, { key: other.key, body });
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    }
    // The owner's own unknown delivery is a 404 too, and bad ids are 400.
    const retry = await api.request(
      'POST',
      `/v1/webhook-endpoints/${endpoint.id}/deliveries/${unknown}/retry`,
      {
        key: tenant.key,
      },
    );
    expect(retry.status).toBe(404);
    expect((await api.request('GET', '/v1/webhook-endpoints/not-a-uuid', { key: tenant.key })).status).toBe(
      400,
    );
    const badSince = await api.request('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, {
      key: tenant.key,
      body: { since: 'yesterday' },
    });
    expect(badSince.status).toBe(400);
    expect((await api.request('GET', '/v1/webhook-endpoints', { key: null })).status).toBe(401);
  });
});
