import { Webhook } from 'standardwebhooks';
import { TestApp } from '../support/test-app';
import { type ReceivedDelivery, WebhookReceiver } from './webhook-receiver';

const FULL_LIFECYCLE = ['call.created', 'call.ringing', 'call.answered', 'call.terminating', 'call.hangup'];

/** Verifies with the reference library: throws unless one of the signatures is by `secret`. */
const verify = (secret: string, delivery: ReceivedDelivery) =>
  new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>) as {
    type: string;
    subject: string;
    sequence: string;
    data: Record<string, unknown>;
  };

describe('per-call status callbacks', () => {
  let api: TestApp;
  let receiver: WebhookReceiver;
  let tenant: { customerId: string; key: string };
  let other: { customerId: string; key: string };
  let secret: string;

  beforeAll(async () => {
    api = await TestApp.start({
      config: {
        simRingDelayMs: 0,
        simAnswerDelayMs: 0,
        webhookAllowPrivateTargets: true,
        webhookRetrySchedule: [0, 0, 0, 0],
      },
    });
    tenant = await api.createCustomer('Callbacks A');
    other = await api.createCustomer('Callbacks B');
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.close());
  afterAll(() => api.close());

  const makeCall = (body: Record<string, unknown>, key = tenant.key) =>
    api.request('POST', '/v1/calls', { key, body: { contact_id: 'jj084', ...body } });
  const waitForStatus = async (id: string, status: string) => {
    for (let i = 0; i < 250; i++) {
      if ((await api.request('GET', `/v1/calls/${id}`, { key: tenant.key })).body.status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`call ${id} never reached ${status}`);
  };
  const endCall = async (id: string) => {
    await waitForStatus(id, 'progressing');
    await api.request('POST', `/v1/calls/${id}/hangup`, { key: tenant.key, body: {} });
    await waitForStatus(id, 'hangup');
  };
  const settledLog = async (callId: string, count: number, key = tenant.key) => {
    let log: any;
    for (let i = 0; i < 150; i++) {
      log = await api.request('GET', `/v1/calls/${callId}/callback-deliveries`, { key });
      if (log.body.result?.length === count && log.body.result.every((d: any) => d.status !== 'pending'))
        return log.body.result;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`callback log of ${callId}: ${JSON.stringify(log.body)}`);
  };

  it('a tenant has no callback secret until it asks for one; the first rotation creates it', async () => {
    const none = await api.request('GET', '/v1/callback-secret', { key: tenant.key });
    expect(none.status).toBe(404);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const created = await api.request('POST', '/v1/callback-secret/rotate', { key: tenant.key });
    expect(created.status).toBe(200);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.previous_secret_expires_at).toBeNull();
    secret = created.body.secret;
    const shown = await api.request('GET', '/v1/callback-secret', { key: tenant.key });
    expect(shown.status).toBe(200);
    expect(shown.body).not.toHaveProperty('secret');
    expect(shown.body.tm_create).toBe(created.body.tm_create);
  });

  it('sends the chosen events of a call, signed with the tenant secret and in order; the call shows its callback', async () => {
    const events = ['call.ringing', 'call.answered', 'call.hangup'];
    const made = await makeCall({ status_callback: receiver.url('/status'), status_callback_events: events });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      status_callback: receiver.url('/status'),
      status_callback_events: events,
    });
    const got = await api.request('GET', `/v1/calls/${made.body.id}`, { key: tenant.key });
    expect(got.body).toMatchObject({
      status_callback: receiver.url('/status'),
      status_callback_events: events,
    });
    await endCall(made.body.id);

    await receiver.until((r) => r.length === 3);
    const delivered = receiver.received.map((delivery) => verify(secret, delivery));
    expect(delivered.map((e) => e.type)).toEqual(events);
    expect(new Set(delivered.map((e) => e.subject))).toEqual(new Set([made.body.id]));
    const sequences = delivered.map((e) => BigInt(e.sequence));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);
    expect(delivered[2].data).toMatchObject({
      status: 'hangup',
      hangup_by: 'local',
      hangup_reason: 'normal',
    });
    expect(receiver.received.every((d) => d.path === '/status')).toBe(true);

    const log = await settledLog(made.body.id, 3);
    expect(log.map((d: any) => d.event_type).reverse()).toEqual(events);
    expect(log.map((d: any) => d.id).sort()).toEqual(
      receiver.received.map((d) => d.headers['webhook-id']).sort(),
    );
    expect(log.every((d: any) => d.status === 'succeeded' && d.last_status_code === 200)).toBe(true);
  });

  it('without status_callback_events, every call event goes; a call without a callback sends none', async () => {
    const quiet = await makeCall({});
    expect(quiet.body).toMatchObject({ status_callback: null, status_callback_events: null });
    const made = await makeCall({ status_callback: receiver.url() });
    expect(made.body.status_callback_events).toEqual(['call.*']);
    await endCall(made.body.id);
    await endCall(quiet.body.id);
    await receiver.until((r) => r.length >= FULL_LIFECYCLE.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const delivered = receiver.received.map((delivery) => verify(secret, delivery));
    expect(delivered.map((e) => e.type)).toEqual(FULL_LIFECYCLE);
    expect(delivered.every((e) => e.subject === made.body.id)).toBe(true);
    expect((await settledLog(quiet.body.id, 0)).length).toBe(0);
  });

  it('a receiver answering 500 twice gets the third attempt, and the log shows all three', async () => {
    receiver.respond = (_, index) => ({ status: index < 2 ? 500 : 200 });
    const made = await makeCall({
      status_callback: receiver.url(),
      status_callback_events: ['call.created'],
    });
    await receiver.until((r) => r.length === 3);
    expect(new Set(receiver.received.map((d) => d.headers['webhook-id'])).size).toBe(1);
    for (const delivery of receiver.received) expect(verify(secret, delivery).type).toBe('call.created');
    const [delivery] = await settledLog(made.body.id, 1);
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts.map((a: any) => a.status_code)).toEqual([500, 500, 200]);
  });

  it('a later event of the call waits while an earlier one is retried', async () => {
    receiver.respond = (delivery, index) => ({
      status: index < 2 && JSON.parse(delivery.body).type === 'call.created' ? 503 : 200,
    });
    const made = await makeCall({
      status_callback: receiver.url(),
      status_callback_events: ['call.created', 'call.ringing', 'call.answered'],
    });
    await receiver.until((r) => r.filter((d) => d.status === 200).length === 3);
    const types = receiver.received.map((d) => verify(secret, d).type);
    expect(types).toEqual(['call.created', 'call.created', 'call.created', 'call.ringing', 'call.answered']);
    await endCall(made.body.id);
  });

  it('after a rotation, callbacks are signed with both secrets for the overlap', async () => {
    const rotated = await api.request('POST', '/v1/callback-secret/rotate', { key: tenant.key });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    expect(Date.parse(rotated.body.previous_secret_expires_at) - Date.parse(rotated.body.tm_update)).toBe(
      24 * 60 * 60 * 1000,
    );
    await makeCall({ status_callback: receiver.url(), status_callback_events: ['call.created'] });
    await receiver.until((r) => r.length === 1);
    expect(verify(secret, receiver.received[0]).type).toBe('call.created');
    expect(verify(rotated.body.secret, receiver.received[0]).type).toBe('call.created');
    secret = rotated.body.secret;
  });

  it('a tenant without a callback secret is told so when it asks for a callback: 422, and no call is made', async () => {
    const id = '00000000-0000-7000-8000-0000000c0b01';
    const made = await makeCall(
      { id, status_callback: receiver.url(), status_callback_events: ['call.created'] },
      other.key,
    );
    expect(made.status).toBe(422);
    expect(made.headers.get('content-type')).toContain('application/problem+json');
    expect(made.body).toMatchObject({ code: 'call.no_callback_secret', field: 'status_callback' });
    expect(made.body.title).toContain('POST /v1/callback-secret/rotate');
    expect((await api.request('GET', `/v1/calls/${id}`, { key: other.key })).status).toBe(404);
    // The same tenant's calls without a callback are not affected.
    expect((await makeCall({}, other.key)).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toEqual([]);
  });

  it('another tenant sees neither the call’s deliveries nor its secret', async () => {
    const made = await makeCall({
      status_callback: receiver.url(),
      status_callback_events: ['call.created'],
    });
    await receiver.until((r) => r.length === 1);
    const foreign = await api.request('GET', `/v1/calls/${made.body.id}/callback-deliveries`, {
      key: other.key,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(foreign.body)).not.toContain(receiver.url());
    const unknown = await api.request(
      'GET',
      '/v1/calls/00000000-0000-7000-8000-000000000999/callback-deliveries',
      {
        key: tenant.key,
      },
    );
    expect(unknown.status).toBe(404);
    expect((await api.request('GET', '/v1/callback-secret', { key: other.key })).status).toBe(404);
  });

  it.each([
    [{ status_callback: 'not a url' }, 'status_callback'],
    [{ status_callback: 'ftp://example.com/x' }, 'status_callback'],
    [{ status_callback: 'https://user:pw@example.com/x' }, 'status_callback'],
    [{ status_callback: 42 }, 'status_callback'],
    [
      { status_callback: 'https://example.com', status_callback_events: ['call.exploded'] },
      'status_callback_events',
    ],
    [
      { status_callback: 'https://example.com', status_callback_events: ['conference.created'] },
      'status_callback_events',
    ],
    [
      { status_callback: 'https://example.com', status_callback_events: 'call.hangup' },
      'status_callback_events',
    ],
    [{ status_callback: 'https://example.com', status_callback_events: [] }, 'status_callback_events'],
    [{ status_callback_events: ['call.hangup'] }, 'status_callback_events'],
  ])('refuses %j with a 400 problem naming %s', async (body, field) => {
    const response = await makeCall(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(response.body.errors)).toContain(field);
  });

  it('OpenAPI documents the callback fields and routes', async () => {
    const spec = (await api.request('GET', '/openapi.json', { key: null })).body;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/callback-secret',
        '/v1/callback-secret/rotate',
        '/v1/calls/{id}/callback-deliveries',
      ]),
    );
    expect(Object.keys(spec.components.schemas.MakeCallRequest.properties)).toEqual(
      expect.arrayContaining(['status_callback', 'status_callback_events']),
    );
    expect(Object.keys(spec.components.schemas.CallView.properties)).toEqual(
      expect.arrayContaining(['status_callback', 'status_callback_events']),
    );
  });
});

describe('per-call status callbacks with private targets refused (the default)', () => {
  it('accepts the call, but never sends to a loopback callback: the attempt is logged as refused', async () => {
    const strict = await TestApp.start({
      config: { mediaGatewayMode: 'external', webhookRetrySchedule: [0] },
    });
    const receiver = await WebhookReceiver.start();
    try {
      const { key } = await strict.createCustomer('Strict callbacks');
      await strict.request('POST', '/v1/callback-secret/rotate', { key });
      const made = await strict.request('POST', '/v1/calls', {
        key,
        body: {
          contact_id: 'jj084',
          status_callback: receiver.url(),
          status_callback_events: ['call.created'],
        },
      });
      expect(made.status).toBe(201);
      let log: any;
      for (let i = 0; i < 150; i++) {
        log = (await strict.request('GET', `/v1/calls/${made.body.id}/callback-deliveries`, { key })).body;
        if (log.result[0]?.status === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(log.result[0]).toMatchObject({ status: 'failed', last_status_code: null });
      expect(log.result[0].last_error).toMatch(/private, loopback or link-local/);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
      await strict.close();
    }
  });
});
