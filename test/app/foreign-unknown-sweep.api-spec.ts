import { callIn, SEED_CREATE_BODY } from '../conferences/conference-api-helpers';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { type HttpResponse, TestApp } from '../support/test-app';

/**
 * The tenant rule, swept over every route that takes an id: another tenant's id and an id nobody holds get
 * the same 404, with or without If-Match (a stale one, and the resource's real revision), and nothing in
 * the body says which it was or at what revision it stands. Round 1 answered a foreign call's hangup with
 * If-Match by 412 and `current_revision`.
 */
const UNKNOWN = '00000000-0000-7000-8000-00000000dead';
const IF_MATCH_VARIANTS: Record<string, Record<string, string>> = {
  'no If-Match': {},
  'a stale If-Match': { 'if-match': '"7"' },
  'the real revision as If-Match': { 'if-match': '"0"' },
};

type Kind = 'call' | 'conference' | 'conferencecall';
interface Route {
  method: string;
  path: (id: string) => string;
  kind: Kind;
  role: 'user' | 'media';
  body?: unknown;
}

const ROUTES: Route[] = [
  { method: 'GET', path: (id) => `/v1/calls/${id}`, kind: 'call', role: 'user' },
  { method: 'GET', path: (id) => `/v1/calls/${id}/events`, kind: 'call', role: 'user' },
  { method: 'GET', path: (id) => `/v1/calls/${id}/callback-deliveries`, kind: 'call', role: 'user' },
  // Seed 001's singular path (issue 12 §6).
  { method: 'GET', path: (id) => `/v1/call/${id}`, kind: 'call', role: 'user' },
  { method: 'PATCH', path: (id) => `/v1/calls/${id}`, kind: 'call', role: 'user', body: {} },
  { method: 'POST', path: (id) => `/v1/calls/${id}/hangup`, kind: 'call', role: 'user' },
  {
    method: 'POST',
    path: (id) => `/v1/calls/${id}/signals`,
    kind: 'call',
    role: 'media',
    body: { signal_id: 'sweep-1', signal: 'hangup' },
  },
  { method: 'GET', path: (id) => `/v1/conferences/${id}`, kind: 'conference', role: 'user' },
  { method: 'GET', path: (id) => `/v1/conferences/${id}/events`, kind: 'conference', role: 'user' },
  {
    method: 'PUT',
    path: (id) => `/v1/conferences/${id}`,
    kind: 'conference',
    role: 'user',
    body: { name: 'x' },
  },
  { method: 'POST', path: (id) => `/v1/conferences/${id}/stop`, kind: 'conference', role: 'user' },
  { method: 'DELETE', path: (id) => `/v1/conferences/${id}`, kind: 'conference', role: 'user' },
  { method: 'GET', path: (id) => `/v1/conferencecalls/${id}`, kind: 'conferencecall', role: 'user' },
  { method: 'DELETE', path: (id) => `/v1/conferencecalls/${id}`, kind: 'conferencecall', role: 'user' },
  {
    method: 'POST',
    path: (id) => `/v1/conferencecalls/${id}/signals`,
    kind: 'conferencecall',
    role: 'media',
    body: { signal_id: 'sweep-1', signal: 'left' },
  },
];

/** The body with the id asked for blanked out: what remains must not depend on whose id it was. */
const shape = (response: HttpResponse, id: string) =>
  JSON.parse(JSON.stringify(response.body).replaceAll(id, 'ID'));

describe('foreign and unknown ids on every route', () => {
  let api: TestApp;
  const keys: Record<'user' | 'media', string> = { user: '', media: '' };
  const owned: Record<Kind, string> = { call: '', conference: '', conferencecall: '' };
  let ownerKey: string;

  beforeAll(async () => {
    api = await TestApp.start({
      clock: new FixedClock('2026-01-01T00:00:00.000Z'),
      ids: new SequentialIds(),
      config: { mediaGatewayMode: 'external' },
    });
    const owner = await api.createCustomer('Owner');
    ownerKey = owner.key;
    const call = await api.request('POST', '/v1/calls', { key: ownerKey, body: { contact_id: 'jj084' } });
    owned.call = call.body.id;
    const conference = await api.request('POST', '/v1/conferences', {
      key: ownerKey,
      body: SEED_CREATE_BODY,
    });
    owned.conference = conference.body.id;
    const answered = await callIn(api, owner.customerId);
    const joined = await api.request('POST', '/v1/conferencecalls', {
      key: ownerKey,
      body: { conference_id: owned.conference, reference_type: 'call', reference_id: answered },
    });
    expect(joined.status).toBe(201);
    owned.conferencecall = joined.body.id;

    const prober = await api.createCustomer('Prober');
    keys.user = prober.key;
    const media = await api.request('POST', `/v1/customers/${prober.customerId}/keys`, {
      body: { role: 'media' },
    });
    keys.media = media.body.key;
  });
  afterAll(() => api.close());

  const cases = ROUTES.flatMap((route) =>
    Object.entries(IF_MATCH_VARIANTS).map(
      ([variant, headers]) =>
        [`${route.method} ${route.path(':id')} with ${variant}`, route, headers] as const,
    ),
  );

  it.each(cases)('%s', async (_name, route, headers) => {
    const ask = (id: string) =>
      api.request(route.method, route.path(id), { key: keys[route.role], body: route.body, headers });
    const foreignId = owned[route.kind];
    const before = await api.request(
      'GET',
      route.path(foreignId).replace(/\/(events|hangup|stop|signals)$/, ''),
      {
        key: ownerKey,
      },
    );

    const foreign = await ask(foreignId);
    const unknown = await ask(UNKNOWN);

    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(`${route.kind}.not_found`);
    expect(foreign.status).toBe(404);
    expect(shape(foreign, foreignId)).toEqual(shape(unknown, UNKNOWN));
    expect(JSON.stringify(foreign.body)).not.toMatch(/revision/);
    expect(foreign.headers.get('etag')).toBeNull();
    // And the probe changed nothing of the owner's resource.
    const after = await api.request(
      'GET',
      route.path(foreignId).replace(/\/(events|hangup|stop|signals)$/, ''),
      {
        key: ownerKey,
      },
    );
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
  });
});
