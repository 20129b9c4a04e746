import { EVENT_VIEW_FIELDS } from '../audit/event-view-fields';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

/** GET /v1/calls, /v1/calls/history, /v1/calls/:id and /v1/calls/:id/events through real HTTP. */
describe('call queries', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let other: { customerId: string; key: string };

  beforeAll(async () => {
    clock = new FixedClock('2026-02-01T10:00:00.000Z');
    // Signals are driven by hand with a media key: no simulated gateway racing the assertions.
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    ({ key } = await api.createCustomer('Queries'));
    other = await api.createCustomer('Other');
  });
  afterAll(() => api.close());

  const make = async (body: object, as = key): Promise<string> => {
    const response = await api.request('POST', '/v1/calls', { key: as, body });
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    return response.body.id;
  };
  const get = (path: string, as = key) => api.request('GET', path, { key: as });
  const ids = (calls: { id: string }[]) => calls.map((c) => c.id);

  /** Follows next_page_token to the end; fails on a loop. */
  async function allPages(path: string, records = 'result'): Promise<string[]> {
    const seen: string[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const separator = path.includes('?') ? '&' : '?';
      const response = await get(token === null ? path : `${path}${separator}page_token=${token}`);
      expect(response.status).toBe(200);
      seen.push(...ids(response.body[records]));
      token = response.body.next_page_token;
      if (token === null) return seen;
    }
    throw new Error('pagination does not end');
  }

  describe('GET /v1/calls/:id', () => {
    it('answers the call with its revision as ETag; 404 for unknown and foreign ids alike', async () => {
      const id = await make({ contact_id: 'get-1' });
      const found = await get(`/v1/calls/${id}`);
      expect(found.status).toBe(200);
      expect(found.headers.get('etag')).toBe('"0"');
      expect(found.body).toMatchObject({ id, call_id: id, contact_id: 'get-1', revision: '0' });

      const foreign = await get(`/v1/calls/${id}`, other.key);
      const unknown = await get('/v1/calls/0190a5e2-7c1a-7000-8000-00000000beef');
      for (const response of [foreign, unknown]) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('call.not_found');
      }
    });

    it('400 for an id that is not a UUID (seed 000 ids like oke2738 are not ours)', async () => {
      const response = await get('/v1/calls/oke2738');
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
    });
  });

  describe('GET /v1/calls', () => {
    it('pages newest first through calls made at the same instant, none lost or repeated', async () => {
      // The clock stands still: all 23 calls share one created time, only the id orders them.
      const made: string[] = [];
      for (let i = 0; i < 23; i++) made.push(await make({ contact_id: 'same-instant' }));
      const seen = await allPages('/v1/calls?contact_id=same-instant&page_size=4');
      expect(seen).toEqual([...made].sort().reverse());

      const first = await get('/v1/calls?contact_id=same-instant&page_size=4');
      expect(first.body.result).toHaveLength(4);
      expect(first.body.next_page_token).toMatch(/^[A-Za-z0-9_-]+$/);
      const whole = await get('/v1/calls?contact_id=same-instant&page_size=100');
      expect(whole.body.next_page_token).toBeNull();
    });

    it('filters by status, direction, type, user, hangup reason and created range', async () => {
      // Seconds apart, well inside the 60 s dial timeout, so no timer changes a status under the test.
      clock.set('2026-02-02T10:00:00.000Z');
      const a = await make({ contact_id: 'f-1', user_id: 'filter-user', type: 'video' });
      clock.set('2026-02-02T10:00:01.000Z');
      const b = await make({ contact_id: 'f-2', user_id: 'filter-user', direction: 'incoming' });
      clock.set('2026-02-02T10:00:02.000Z');
      const c = await make({ contact_id: 'f-3', user_id: 'filter-user' });
      await api.request('POST', `/v1/calls/${c}/hangup`, { key });

      const list = async (query: string) =>
        ids((await get(`/v1/calls?user_id=filter-user&${query}`)).body.result);
      expect(await list('')).toEqual([c, b, a]);
      expect(await list('type=video')).toEqual([a]);
      expect(await list('direction=incoming')).toEqual([b]);
      expect(await list('status=canceling')).toEqual([c]);
      expect(await list('status=dialing')).toEqual([b, a]);
      expect(await list('hangup_reason=cancel')).toEqual([c]);
      expect(await list('created_after=2026-02-02T10:00:01Z')).toEqual([c, b]);
      expect(await list('created_before=2026-02-02T10:00:01Z')).toEqual([a]);
      // Any offset is accepted and compared as the same instant.
      expect(await list('created_after=2026-02-02T11:00:01%2B01:00')).toEqual([c, b]);
      expect(await list('contact_id=f-2')).toEqual([b]);
    });

    it("shows only the caller's own calls", async () => {
      const mine = await make({ contact_id: 'tenant-check' });
      await make({ contact_id: 'tenant-check' }, other.key);
      expect(ids((await get('/v1/calls?contact_id=tenant-check')).body.result)).toEqual([mine]);
    });

    it.each([
      ['page_size=0', 'page_size'],
      ['page_size=101', 'page_size'],
      ['page_size=ten', 'page_size'],
      ['page_size=1.5', 'page_size'],
      // Decimal digits only: Number() would take these as 10, 16 and 0.
      ['page_size=1e1', 'page_size'],
      ['page_size=0x10', 'page_size'],
      ['page_size=%20', 'page_size'],
      ['page_token=bm90LWEtdG9rZW4', 'page_token'],
      ['page_token=%25%25%25', 'page_token'],
      ['status=talking', 'status'],
      ['status=dialing&status=ringing', 'status'],
      ['direction=up', 'direction'],
      ['type=flow', 'type'],
      ['hangup_reason=bored', 'hangup_reason'],
      ['created_after=yesterday', 'created_after'],
      ['created_before=2026-02-02T10:00:00', 'created_before'],
      ['user_id=a%20b', 'user_id'],
      ['color=red', 'color'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const response = await get(`/v1/calls?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('GET /v1/calls/history (seed 000)', () => {
    it("answers a user's calls made and received, newest first, limited, with a next page", async () => {
      clock.set('2026-03-01T08:00:00.000Z');
      const made = await make({ contact_id: 'jj084', type: 'voice', user_id: 'siap3943' });
      clock.set('2026-03-01T08:00:01.000Z');
      const received = await make({ contact_id: 'siap3943', user_id: 'jj084' });
      clock.set('2026-03-01T08:00:02.000Z');
      await make({ contact_id: 'jj084', user_id: 'someone' });
      await make({ contact_id: 'siap3943' }, other.key);

      const response = await get('/v1/calls/history?user_id=siap3943&limit=10');
      expect(response.status).toBe(200);
      expect(ids(response.body.call_records)).toEqual([received, made]);
      expect(response.body.call_records[1]).toMatchObject({
        call_id: made,
        contact_id: 'jj084',
        type: 'voice',
        start_time: '2026-03-01T08:00:00.000Z',
        end_time: null,
        metadata: {},
      });
      expect(response.body.next_page_token).toBeNull();

      expect(await allPages('/v1/calls/history?user_id=siap3943&limit=1', 'call_records')).toEqual([
        received,
        made,
      ]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=x', 'limit'],
      ['user_id=', 'user_id'],
      ['page_token=!!', 'page_token'],
      ['page_size=10', 'page_size'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const response = await get(`/v1/calls/history?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('GET /v1/calls/:id/events', () => {
    it("answers the call's own events with metadata, in order; 404 for foreign and unknown ids", async () => {
      const id = await make({ contact_id: 'audit' });
      await api.request('POST', `/v1/calls/${id}/hangup`, {
        key,
        headers: { 'x-correlation-id': 'trace-9' },
      });
      const response = await get(`/v1/calls/${id}/events`);
      expect(response.status).toBe(200);
      expect(response.body.result.map((e: { type: string }) => e.type)).toEqual([
        'CallCreated',
        'CallHangupRequested',
      ]);
      const [createdEvent, hangup] = response.body.result;
      expect(createdEvent).toMatchObject({ revision: '0', data: { callId: id, contactId: 'audit' } });
      expect(createdEvent.position).toMatch(/^\d+$/);
      expect(hangup).toMatchObject({
        stream: `call-${id}`,
        revision: '1',
        correlation_id: 'trace-9',
        actor: expect.stringMatching(/^key:/),
      });
      expect(Object.keys(hangup).sort()).toEqual(EVENT_VIEW_FIELDS);
      expect(BigInt(hangup.position)).toBeGreaterThan(BigInt(createdEvent.position));

      for (const response of [
        await get(`/v1/calls/${id}/events`, other.key),
        await get('/v1/calls/0190a5e2-7c1a-7000-8000-00000000beef/events'),
      ]) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('call.not_found');
      }
      expect((await get('/v1/calls/nope/events')).status).toBe(400);
    });
  });

  it('403 for admin and media keys on reads', async () => {
    expect((await api.request('GET', '/v1/calls')).status).toBe(403);
    const media = await api.request('POST', `/v1/customers/${other.customerId}/keys`, {
      body: { role: 'media' },
    });
    expect((await get('/v1/calls', media.body.key)).status).toBe(403);
  });

  it('documents the call view once in OpenAPI', async () => {
    const response = await api.request('GET', '/openapi.json', { key: null });
    expect(response.status).toBe(200);
    const schemas = response.body.components.schemas;
    expect(Object.keys(schemas.CallView.properties)).toEqual(
      expect.arrayContaining([
        'call_id',
        'contact_id',
        'type',
        'start_time',
        'end_time',
        'metadata',
        'duration',
      ]),
    );
    expect(schemas.CallView.properties.type.enum).toEqual(['voice', 'video']);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/v1/calls', '/v1/calls/history', '/v1/calls/{id}', '/v1/calls/{id}/events']),
    );
  });
});
