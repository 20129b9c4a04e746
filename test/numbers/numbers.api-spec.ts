import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

/** /v1/numbers over real HTTP: register, uniqueness across tenants, list/get/patch/delete, tenancy. */
describe('/v1/numbers', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let customerId: string;
  let otherKey: string;

  beforeAll(async () => {
    clock = new FixedClock('2026-04-01T12:00:00.000Z');
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    ({ key, customerId } = await api.createCustomer('Acme'));
    otherKey = (await api.createCustomer('Other')).key;
  });
  afterAll(() => api.close());

  let next = 100;
  /** A number nobody registered yet in this app. */
  const freshNumber = () => `+3185083${String(next++).padStart(4, '0')}`;
  const register = (body: object, as = key) => api.request('POST', '/v1/numbers', { key: as, body });

  it('registers an E.164 number (formatting ignored) with default routing', async () => {
    const response = await register({ phone_number: '+31 (85) 083-5037', name: 'Front desk' });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"0"');
    expect(response.headers.get('location')).toBe(`/v1/numbers/${response.body.id}`);
    expect(response.body).toEqual({
      id: response.body.id,
      number_id: response.body.id,
      customer_id: customerId,
      phone_number: '+31850835037',
      name: 'Front desk',
      on_incoming: 'ring',
      actions: [],
      conference_id: null,
      ring_timeout: 30,
      created_at: '2026-04-01T12:00:00.000Z',
      updated_at: '2026-04-01T12:00:00.000Z',
      revision: '0',
    });
    const got = await api.request('GET', `/v1/numbers/${response.body.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(response.body);
  });

  it('refuses a taken number with the same answer whoever holds it, and shows nothing of the holder', async () => {
    const phone = freshNumber();
    const held = await register({ phone_number: phone });
    expect(held.status).toBe(201);
    const byOther = await register({ phone_number: phone }, otherKey);
    const byHolder = await register({ phone_number: phone });
    for (const refused of [byOther, byHolder]) {
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.code).toBe('number.taken');
      expect(JSON.stringify(refused.body)).not.toContain(customerId);
      expect(JSON.stringify(refused.body)).not.toContain(held.body.id);
    }
    const strip = ({ instance: _i, ...rest }: Record<string, unknown>) => rest;
    expect(strip(byOther.body)).toEqual(strip(byHolder.body));
  });

  it('lets exactly one of two tenants racing for a number have it', async () => {
    const phone = freshNumber();
    const results = await Promise.all([
      register({ phone_number: phone }),
      register({ phone_number: phone }, otherKey),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('lists only the tenant’s live numbers, newest first, paged', async () => {
    const { key: listKey } = await api.createCustomer('Lister');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      ids.push((await register({ phone_number: freshNumber() }, listKey)).body.id);
    }
    await api.request('DELETE', `/v1/numbers/${ids[1]}`, { key: listKey });
    const first = await api.request('GET', '/v1/numbers?page_size=1', { key: listKey });
    expect(first.status).toBe(200);
    expect(first.body.result.map((n: { id: string }) => n.id)).toEqual([ids[2]]);
    const second = await api.request(
      'GET',
      `/v1/numbers?page_size=1&page_token=${first.body.next_page_token}`,
      { key: listKey },
    );
    expect(second.body.result.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
    expect(second.body.next_page_token).toBeNull();
  });

  it('patches the routing, keeping what it does not name; a stale If-Match is 412', async () => {
    const created = (await register({ phone_number: freshNumber(), name: 'Sales', ring_timeout: 15 })).body;
    const conference = await api.request('POST', '/v1/conferences', { key, body: { type: 'conference' } });
    clock.advance(5000);
    const patched = await api.request('PATCH', `/v1/numbers/${created.id}`, {
      key,
      body: { on_incoming: 'join_conference', conference_id: conference.body.id },
      headers: { 'if-match': '"0"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Sales',
      ring_timeout: 15,
      on_incoming: 'join_conference',
      conference_id: conference.body.id,
      revision: '1',
    });
    expect(patched.body.updated_at).not.toBe(created.updated_at);
    const stale = await api.request('PATCH', `/v1/numbers/${created.id}`, {
      key,
      body: { name: 'x' },
      headers: { 'if-match': '"0"' },
    });
    expect(stale.status).toBe(412);
    const answer = await api.request('PATCH', `/v1/numbers/${created.id}`, {
      key,
      body: { on_incoming: 'answer', actions: [{ type: 'talk', option: { text: 'Welcome' } }] },
    });
    expect(answer.body).toMatchObject({
      on_incoming: 'answer',
      conference_id: null,
      actions: [{ type: 'talk', option: { text: 'Welcome' } }],
    });
  });

  it('releases a number: gone for its tenant, free for anyone under a new id', async () => {
    const phone = freshNumber();
    const created = (await register({ phone_number: phone })).body;
    const deleted = await api.request('DELETE', `/v1/numbers/${created.id}`, { key });
    expect(deleted.status).toBe(204);
    expect((await api.request('GET', `/v1/numbers/${created.id}`, { key })).status).toBe(404);
    expect((await api.request('DELETE', `/v1/numbers/${created.id}`, { key })).status).toBe(404);
    const again = await register({ phone_number: phone }, otherKey);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(created.id);
  });

  it('keeps an audit trail per registration', async () => {
    const created = (await register({ phone_number: freshNumber() })).body;
    await api.request('PATCH', `/v1/numbers/${created.id}`, { key, body: { name: 'Renamed' } });
    const trail = await api.request('GET', `/v1/numbers/${created.id}/events`, { key });
    expect(trail.status).toBe(200);
    expect(trail.body.result.map((event: { type: string }) => event.type)).toEqual([
      'NumberRegistered',
      'NumberUpdated',
    ]);
  });

  it('publishes number.created, number.updated and number.deleted to the tenant’s feed, as the REST view', async () => {
    const { key: feedKey } = await api.createCustomer('Feed');
    const created = (await register({ phone_number: freshNumber() }, feedKey)).body;
    const patched = (
      await api.request('PATCH', `/v1/numbers/${created.id}`, { key: feedKey, body: { name: 'N' } })
    ).body;
    await api.request('DELETE', `/v1/numbers/${created.id}`, { key: feedKey });
    const page = await api.request('GET', '/v1/events?after=0&types=number.*', { key: feedKey });
    expect(page.status).toBe(200);
    expect(page.body.result.map((e: { type: string }) => e.type)).toEqual([
      'number.created',
      'number.updated',
      'number.deleted',
    ]);
    expect(page.body.result[0]).toMatchObject({ subject: created.id, source: '/v1/numbers', data: created });
    expect(page.body.result[1].data).toEqual(patched);
    expect(page.body.result[2].data).toMatchObject({ id: created.id, name: 'N', revision: '2' });
    const catalogue = (await api.request('GET', '/v1/event-types', { key: feedKey })).body.result;
    const schema = catalogue.find((entry: { type: string }) => entry.type === 'number.created').schema;
    expect(Object.keys(created).sort()).toEqual([...schema.required].sort());
    const others = await api.request('GET', '/v1/events?after=0&types=number.*', { key: otherKey });
    expect(JSON.stringify(others.body.result)).not.toContain(created.id);
  });

  it.each([
    ['no number', {}],
    ['not E.164', { phone_number: '0850835037' }],
    ['too long', { phone_number: '+1234567890123456' }],
    ['unknown on_incoming', { phone_number: '+15550001111', on_incoming: 'forward' }],
    ['actions not objects', { phone_number: '+15550001111', on_incoming: 'answer', actions: ['talk'] }],
    [
      'action without type',
      { phone_number: '+15550001111', on_incoming: 'answer', actions: [{ option: {} }] },
    ],
    [
      'conference id not a uuid',
      { phone_number: '+15550001111', on_incoming: 'join_conference', conference_id: 'x' },
    ],
    ['join without conference', { phone_number: '+15550001111', on_incoming: 'join_conference' }],
    ['actions for ring', { phone_number: '+15550001111', actions: [{ type: 'talk', option: {} }] }],
    ['ring_timeout 0', { phone_number: '+15550001111', ring_timeout: 0 }],
  ])('refuses bad input (%s) with a 4xx problem', async (_name, body) => {
    const response = await register(body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a conference of another tenant like an unknown one (422)', async () => {
    const foreign = await api.request('POST', '/v1/conferences', {
      key: otherKey,
      body: { type: 'conference' },
    });
    const body = {
      phone_number: freshNumber(),
      on_incoming: 'join_conference',
      conference_id: foreign.body.id,
    };
    const refused = await register(body);
    const unknown = await register({ ...body, conference_id: '00000000-0000-7000-8000-00000000dead' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('number.unknown_conference');
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('number.unknown_conference');
  });

  it('answers a foreign or unknown id with the same 404 on every route, and a bad id with 400', async () => {
    const created = (await register({ phone_number: freshNumber() })).body;
    const unknown = '00000000-0000-7000-8000-00000000dead';
    for (const id of [created.id, unknown]) {
      for (const [method, path, body] of [
        ['GET', `/v1/numbers/${id}`, undefined],
        ['GET', `/v1/numbers/${id}/events`, undefined],
        ['PATCH', `/v1/numbers/${id}`, { name: 'x' }],
        ['DELETE', `/v1/numbers/${id}`, undefined],
      ] as const) {
        const response = await api.request(method, path, { key: otherKey, body });
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('number.not_found');
        expect(JSON.stringify(response.body)).not.toContain(created.phone_number);
      }
    }
    expect((await api.request('GET', '/v1/numbers', { key: otherKey })).body.result).not.toContainEqual(
      expect.objectContaining({ id: created.id }),
    );
    expect((await api.request('GET', '/v1/numbers/not-a-uuid', { key })).status).toBe(400);
    expect((await api.request('GET', `/v1/numbers/${created.id}`, { key })).status).toBe(200);
  });
});
