import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GET /v1/calls/:id and GET /v1/conferences/:id with ?at_revision=N or ?as_of=<time>: the state folded from
 * the stream up to that point. Times are the store's commit times, so the test pauses between writes and
 * reads them from the audit trail.
 */
describe('time travel', () => {
  let api: TestApp;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    const clock = new FixedClock('2026-03-01T09:00:00.000Z');
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    ({ key } = await api.createCustomer('Travel'));
    ({ key: otherKey } = await api.createCustomer('Other'));
  });
  afterAll(() => api.close());

  const get = (path: string, as = key) => api.request('GET', path, { key: as });

  describe('a conference', () => {
    let id: string;
    let times: string[];

    beforeAll(async () => {
      const created = await api.request('POST', '/v1/conferences', {
        key,
        body: { type: 'conference', name: 'v0' },
      });
      id = created.body.id;
      await pause(5);
      await api.request('PUT', `/v1/conferences/${id}`, { key, body: { name: 'v1' } });
      await pause(5);
      await api.request('POST', `/v1/conferences/${id}/stop`, { key });
      const events = await get(`/v1/conferences/${id}/events`);
      times = events.body.result.map((event: { time: string }) => event.time);
    });

    it('answers the state after a revision, with that revision as ETag', async () => {
      const first = await get(`/v1/conferences/${id}?at_revision=0`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ name: 'v0', status: 'progressing', revision: '0' });
      expect(first.headers.get('etag')).toBe('"0"');
      expect((await get(`/v1/conferences/${id}?at_revision=1`)).body).toMatchObject({
        name: 'v1',
        revision: '1',
      });
      expect((await get(`/v1/conferences/${id}`)).body.status).toBe('terminated');
    });

    it('answers the state as of a time: the last event committed until then', async () => {
      expect((await get(`/v1/conferences/${id}?as_of=${times[1]}`)).body).toMatchObject({ name: 'v1' });
      const between = new Date(Date.parse(times[0]) + 1).toISOString();
      const early = await get(`/v1/conferences/${id}?as_of=${between}`);
      expect(early.body).toMatchObject({ name: 'v0', revision: '0' });
    });

    it('404 before creation, beyond the stream, and for another tenant', async () => {
      const before = new Date(Date.parse(times[0]) - 1000).toISOString();
      for (const response of [
        await get(`/v1/conferences/${id}?as_of=${before}`),
        await get(`/v1/conferences/${id}?at_revision=99`),
        await get(`/v1/conferences/${id}?at_revision=0`, otherKey),
        await get('/v1/conferences/00000000-0000-7000-8000-0000000000fe?at_revision=0'),
      ]) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('conference.not_found');
      }
    });

    it.each([
      ['at_revision=-1', 'at_revision'],
      ['at_revision=1.5', 'at_revision'],
      ['at_revision=abc', 'at_revision'],
      ['as_of=yesterday', 'as_of'],
      ['as_of=2026-03-01T09:00:00', 'as_of'],
      ['at_revision=0&as_of=2026-03-01T09:00:00Z', 'as_of'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const response = await get(`/v1/conferences/${id}?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('a call', () => {
    let id: string;
    let times: string[];

    beforeAll(async () => {
      const made = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'travel' } });
      id = made.body.id ?? made.body.call_id;
      await pause(5);
      await api.request('POST', `/v1/calls/${id}/hangup`, { key });
      const events = await get(`/v1/calls/${id}/events`);
      times = events.body.result.map((event: { time: string }) => event.time);
    });

    it('answers the call at a revision and at a time', async () => {
      const first = await get(`/v1/calls/${id}?at_revision=0`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id, status: 'dialing', revision: '0' });
      const asOf = await get(`/v1/calls/${id}?as_of=${times[1]}`);
      expect(asOf.body).toMatchObject({ revision: '1' });
      expect(asOf.body.status).not.toBe('dialing');
    });

    it('404 before creation, beyond the stream and for another tenant; 400 for bad input', async () => {
      const before = new Date(Date.parse(times[0]) - 1000).toISOString();
      for (const response of [
        await get(`/v1/calls/${id}?as_of=${before}`),
        await get(`/v1/calls/${id}?at_revision=7`),
        await get(`/v1/calls/${id}?at_revision=0`, otherKey),
      ]) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('call.not_found');
      }
      expect((await get(`/v1/calls/${id}?at_revision=-3`)).status).toBe(400);
      expect((await get(`/v1/calls/${id}?as_of=not-a-time`)).status).toBe(400);
    });
  });
});
