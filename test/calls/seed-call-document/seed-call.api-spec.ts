import { FixedClock, SequentialIds } from '../../support/fixed-clock';
import { TestApp } from '../../support/test-app';

/** Seed 001's `GET /v1/call/{id}` and the fields POST /v1/calls takes for it, over real HTTP. */
describe('GET /v1/call/{id} (seed 001)', () => {
  const AGENT = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
  const PHONE = '7f8a9b2c-3d4e-4f6a-8b8c-9d0e1f2a3b4c';
  /** Seed 001's document, field for field. */
  const SEED_FIELDS = [
    'id',
    'agent_id',
    'status',
    'type',
    'contact',
    'phone_id',
    'created_date',
    'recording_url',
    'start_time',
    'end_time',
    'duration',
    'end_reason',
  ];
  const tel = (target: string) => ({ type: 'tel', target });

  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let mediaKey: string;
  let other: { customerId: string; key: string };

  beforeAll(async () => {
    clock = new FixedClock('2026-05-01T09:00:00.000Z');
    // Signals are driven by hand with a media key: no simulated gateway racing the assertions.
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    const customer = await api.createCustomer('Seed 001');
    key = customer.key;
    mediaKey = (
      await api.request('POST', `/v1/customers/${customer.customerId}/keys`, { body: { role: 'media' } })
    ).body.key;
    other = await api.createCustomer('Other');
  });
  afterAll(() => api.close());
  beforeEach(() => clock.set('2026-05-01T09:00:00.000Z'));

  const make = async (body: object): Promise<string> => {
    const response = await api.request('POST', '/v1/calls', { key, body });
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    return response.body.id;
  };
  const seedCall = (id: string, as = key) => api.request('GET', `/v1/call/${id}`, { key: as });
  let signals = 0;
  const signal = async (id: string, kind: string, cause?: string) => {
    const response = await api.request('POST', `/v1/calls/${id}/signals`, {
      key: mediaKey,
      body: { signal_id: `s-${++signals}`, signal: kind, cause },
    });
    if (response.status !== 200) throw new Error(JSON.stringify(response.body));
  };

  it("answers exactly seed 001's fields, through the call's whole life", async () => {
    const id = await make({
      agent_id: AGENT,
      phone_id: PHONE,
      source: tel('+31850835037'),
      destination: tel('+31623731537'),
    });
    const dialing = await seedCall(id);
    expect(dialing.status).toBe(200);
    expect(dialing.headers.get('etag')).toBe('"0"');
    expect(Object.keys(dialing.body)).toEqual(SEED_FIELDS);
    expect(dialing.body).toEqual({
      id,
      agent_id: AGENT,
      status: 'dialing',
      type: 'outbound',
      contact: {
        id: '+31623731537',
        identifier: '+31623731537',
        contact_type: 'call',
        created_date: '2026-05-01T09:00:00.000Z',
      },
      phone_id: PHONE,
      created_date: '2026-05-01T09:00:00.000Z',
      recording_url: null,
      start_time: '2026-05-01T09:00:00.000Z',
      end_time: null,
      duration: null,
      end_reason: null,
    });
    expect(Object.keys(dialing.body.contact)).toEqual(['id', 'identifier', 'contact_type', 'created_date']);

    await signal(id, 'ringing');
    expect((await seedCall(id)).body.status).toBe('dialing');
    clock.set('2026-05-01T09:00:05.000Z');
    await signal(id, 'answered');
    expect((await seedCall(id)).body.status).toBe('in_progress');
    clock.set('2026-05-01T09:02:05.000Z');
    await signal(id, 'hangup', 'NORMAL_CLEARING');
    expect((await seedCall(id)).body).toMatchObject({
      status: 'completed',
      end_time: '2026-05-01T09:02:05.000Z',
      duration: 120,
      end_reason: 'normal',
    });

    // The full view carries the same fields, and seed 002's names for them.
    expect((await api.request('GET', `/v1/calls/${id}`, { key })).body).toMatchObject({
      agent_id: AGENT,
      phone_id: PHONE,
      contact: dialing.body.contact,
      duration_seconds: 120,
      caller_phone: '+31623731537',
      assistant_phone: '+31850835037',
    });
  });

  it.each([
    ['busy', 'no_answer', 'busy'],
    ['no_answer', 'no_answer', 'noanswer'],
    ['failed', 'failed', 'failed'],
  ])('a call ended by "%s" is %s', async (kind, status, reason) => {
    const id = await make({ contact_id: 'jj084' });
    await signal(id, kind);
    expect((await seedCall(id)).body).toMatchObject({ status, end_reason: reason, duration: 0 });
  });

  it('a call we cancel is dialing until the media layer confirms, then no_answer', async () => {
    const id = await make({ contact_id: 'jj084' });
    await api.request('POST', `/v1/calls/${id}/hangup`, { key });
    expect((await seedCall(id)).body.status).toBe('dialing');
    await signal(id, 'hangup');
    expect((await seedCall(id)).body).toMatchObject({ status: 'no_answer', end_reason: 'cancel' });
  });

  it('an incoming call is inbound and its contact is the caller; absent ids are null', async () => {
    const id = await make({ direction: 'incoming', source: tel('+821028286521'), contact_id: 'jj084' });
    expect((await seedCall(id)).body).toMatchObject({
      type: 'inbound',
      agent_id: null,
      phone_id: null,
      contact: { id: 'jj084', identifier: '+821028286521' },
    });
  });

  it('404 for a foreign id exactly as for an unknown one; 400 for an id that is not a UUID', async () => {
    const id = await make({ contact_id: 'jj084' });
    const foreign = await seedCall(id, other.key);
    const unknown = await seedCall('0190a5e2-7c1a-7000-8000-00000000beef');
    for (const response of [foreign, unknown]) {
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.code).toBe('call.not_found');
    }
    // Nothing but the id tells the two apart.
    expect(JSON.stringify(foreign.body).replaceAll(id, 'X')).toBe(
      JSON.stringify(unknown.body).replaceAll('0190a5e2-7c1a-7000-8000-00000000beef', 'X'),
    );
    const bad = await seedCall('oke2738');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it.each([
    [{ contact_id: 'jj084', agent_id: 'agent-7' }, 'agent_id'],
    [{ contact_id: 'jj084', phone_id: '+31850835037' }, 'phone_id'],
    [{ contact_id: 'jj084', agent_id: 42 }, 'agent_id'],
  ])('POST /v1/calls with %j → 400 naming %s', async (body, field) => {
    const response = await api.request('POST', '/v1/calls', { key, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('is in OpenAPI with seed 001 statuses', async () => {
    const doc = (await api.request('GET', '/openapi.json', { key: null })).body;
    expect(doc.paths['/v1/call/{id}'].get).toBeDefined();
    expect(doc.components.schemas.SeedCallDocument.properties.status.enum).toEqual([
      'dialing',
      'in_progress',
      'completed',
      'failed',
      'transferred',
      'no_answer',
    ]);
    expect(Object.keys(doc.components.schemas.SeedCallDocument.properties)).toEqual(SEED_FIELDS);
  });
});
