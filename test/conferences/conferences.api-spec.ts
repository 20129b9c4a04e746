import { EVENT_VIEW_FIELDS } from '../audit/event-view-fields';
import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { createConference, SEED_CREATE_BODY } from './conference-api-helpers';

describe('conferences API', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let customerId: string;
  let otherKey: string;

  beforeAll(async () => {
    clock = new FixedClock('2026-02-03T06:08:56.672Z');
    api = await TestApp.start({ clock });
    ({ key, customerId } = await api.createCustomer('Acme'));
    ({ key: otherKey } = await api.createCustomer('Other'));
  });
  afterAll(() => api.close());

  describe('POST /v1/conferences', () => {
    it("creates seed 004's example, progressing at once, with the seed's fields", async () => {
      const response = await api.request('POST', '/v1/conferences', { key, body: SEED_CREATE_BODY });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        customer_id: customerId,
        type: 'conference',
        status: 'progressing',
        name: 'test conference',
        detail: 'test conference for example',
        data: {},
        timeout: 0,
        max_participants: null,
        pre_actions: [],
        post_actions: [],
        conferencecall_ids: [],
        participant_count: 0,
        recording_id: null,
        recording_ids: [],
        end_reason: null,
        tm_create: '2026-02-03T06:08:56.672Z',
        tm_update: '2026-02-03T06:08:56.672Z',
        tm_delete: null,
        revision: '0',
      });
      expect(response.headers.get('etag')).toBe('"0"');
      expect(response.headers.get('location')).toBe(`/v1/conferences/${response.body.id}`);

      // Read-your-writes: the read model already has it, in the same shape.
      const fetched = await api.request('GET', `/v1/conferences/${response.body.id}`, { key });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(response.body);
      expect(fetched.headers.get('etag')).toBe('"0"');
    });

    it('stores settings and the pre/post actions as given', async () => {
      const talk = {
        id: '00000000-0000-0000-0000-000000000000',
        next_id: '00000000-0000-0000-0000-000000000000',
        type: 'talk',
        option: { text: 'Hello. Welcome to the test conference.', gender: 'female', language: 'en-US' },
      };
      const response = await api.request('POST', '/v1/conferences', {
        key,
        body: {
          type: 'connect',
          timeout: 600,
          max_participants: 2,
          data: { room: 7 },
          pre_actions: [talk],
          post_actions: [{ type: 'talk', option: { text: 'Bye' } }],
        },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        type: 'connect',
        name: '',
        timeout: 600,
        max_participants: 2,
        data: { room: 7 },
        pre_actions: [talk],
        post_actions: [{ type: 'talk', option: { text: 'Bye' } }],
      });
    });

    it.each([
      [{}, 'type'],
      [{ type: 'meeting' }, 'type'],
      [{ type: 'conference', timeout: -1 }, 'timeout'],
      [{ type: 'conference', timeout: 1.5 }, 'timeout'],
      // A due date past what a Date holds was a 500; 1e300 participants was stored as given.
      [{ type: 'conference', timeout: 1e13 }, 'timeout'],
      [{ type: 'conference', timeout: 30 * 24 * 3600 + 1 }, 'timeout'],
      [{ type: 'conference', max_participants: 0 }, 'max_participants'],
      [{ type: 'conference', max_participants: 1e300 }, 'max_participants'],
      [{ type: 'conference', name: 7 }, 'name'],
      [{ type: 'conference', data: 'x' }, 'data'],
      [{ type: 'conference', pre_actions: [{ option: {} }] }, 'pre_actions.0.type'],
      [{ type: 'conference', post_actions: [{ type: 'talk', extra: 1 }] }, 'post_actions.0.extra'],
      [{ type: 'conference', status: 'terminated' }, 'status'],
    ])('%j → 400 naming %s', async (body, field) => {
      const response = await api.request('POST', '/v1/conferences', { key, body });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('needs a user key: none → 401, admin → 403', async () => {
      expect(
        (await api.request('POST', '/v1/conferences', { key: null, body: SEED_CREATE_BODY })).status,
      ).toBe(401);
      expect((await api.request('POST', '/v1/conferences', { body: SEED_CREATE_BODY })).status).toBe(403);
    });

    it('replays the first answer for the same Idempotency-Key, creating one conference', async () => {
      const { key: ownKey } = await api.createCustomer('Idem');
      const headers = { 'idempotency-key': 'create-conf-1' };
      const first = await api.request('POST', '/v1/conferences', {
        key: ownKey,
        body: SEED_CREATE_BODY,
        headers,
      });
      const second = await api.request('POST', '/v1/conferences', {
        key: ownKey,
        body: SEED_CREATE_BODY,
        headers,
      });
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.headers.get('etag')).toBe('"0"');
      const list = await api.request('GET', '/v1/conferences', { key: ownKey });
      expect(list.body.result).toHaveLength(1);
    });
  });

  describe('one conference', () => {
    it('GET: bad id 400, unknown and foreign 404 alike', async () => {
      const id = await createConference(api, key);
      expect((await api.request('GET', '/v1/conferences/nope', { key })).status).toBe(400);
      const unknown = await api.request('GET', '/v1/conferences/00000000-0000-7000-8000-0000000000ff', {
        key,
      });
      const foreign = await api.request('GET', `/v1/conferences/${id}`, { key: otherKey });
      expect(unknown.status).toBe(404);
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('conference.not_found');
      expect({ ...foreign.body, instance: null, detail: null, conferenceId: null, title: null }).toEqual({
        ...unknown.body,
        instance: null,
        detail: null,
        conferenceId: null,
        title: null,
      });
    });

    it('PUT changes the settings, moves the revision and honours If-Match', async () => {
      const id = await createConference(api, key);
      const stale = await api.request('PUT', `/v1/conferences/${id}`, {
        key,
        body: { name: 'x' },
        headers: { 'if-match': '"5"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('revision.stale');

      const updated = await api.request('PUT', `/v1/conferences/${id}`, {
        key,
        body: { name: 'renamed', detail: 'new', timeout: 120, max_participants: 3 },
        headers: { 'if-match': '"0"' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        name: 'renamed',
        detail: 'new',
        timeout: 120,
        max_participants: 3,
      });
      expect(updated.body.revision).toBe('1');
      expect(updated.headers.get('etag')).toBe('"1"');

      const lifted = await api.request('PUT', `/v1/conferences/${id}`, {
        key,
        body: { max_participants: null },
      });
      expect(lifted.body).toMatchObject({ name: 'renamed', max_participants: null, revision: '2' });

      const same = await api.request('PUT', `/v1/conferences/${id}`, { key, body: { name: 'renamed' } });
      expect(same.status).toBe(200);
      expect(same.body.revision).toBe('2');
      expect((await api.request('GET', `/v1/conferences/${id}`, { key })).body).toEqual(same.body);
    });

    it('PUT: bad input 400, foreign 404 (also with If-Match), ended 409', async () => {
      const id = await createConference(api, key);
      const bad = await api.request('PUT', `/v1/conferences/${id}`, { key, body: { timeout: 'soon' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('timeout');
      for (const body of [{ timeout: 1e13 }, { max_participants: 1e300 }]) {
        const huge = await api.request('PUT', `/v1/conferences/${id}`, { key, body });
        expect(huge.status).toBe(400);
        expect(huge.body.errors[0].field).toBe(Object.keys(body)[0]);
      }
      const badIfMatch = await api.request('PUT', `/v1/conferences/${id}`, {
        key,
        body: {},
        headers: { 'if-match': 'three' },
      });
      expect(badIfMatch.status).toBe(400);
      // If-Match compares strongly: the weak form of the current ETag matches nothing (it was applied).
      const weak = await api.request('PUT', `/v1/conferences/${id}`, {
        key,
        body: { name: 'weak' },
        headers: { 'if-match': 'W/"0"' },
      });
      expect(weak.status).toBe(412);
      expect(weak.body.code).toBe('revision.stale');
      expect((await api.request('GET', `/v1/conferences/${id}`, { key })).body.name).not.toBe('weak');
      const variants: Record<string, string>[] = [
        {},
        { 'if-match': '"0"' },
        { 'if-match': '"9"' },
        { 'if-match': 'W/"0"' },
      ];
      for (const headers of variants) {
        const foreign = await api.request('PUT', `/v1/conferences/${id}`, {
          key: otherKey,
          body: { name: 'x' },
          headers,
        });
        expect(foreign.status).toBe(404);
      }
      await api.request('DELETE', `/v1/conferences/${id}`, { key });
      const ended = await api.request('PUT', `/v1/conferences/${id}`, { key, body: { name: 'late' } });
      expect(ended.status).toBe(409);
      expect(ended.body).toMatchObject({
        code: 'conference.not_active',
        status: 409,
        current_status: 'terminated',
      });
    });

    it.each(['POST stop', 'DELETE'])(
      '%s: an empty conference is terminated at once; again is a no-op',
      async (how) => {
        const id = await createConference(api, key);
        clock.advance(5000);
        const stop = () =>
          how === 'DELETE'
            ? api.request('DELETE', `/v1/conferences/${id}`, { key })
            : api.request('POST', `/v1/conferences/${id}/stop`, { key });
        const stopped = await stop();
        expect(stopped.status).toBe(200);
        const now = clock.now().toISOString();
        expect(stopped.body).toMatchObject({
          status: 'terminated',
          end_reason: 'stopped',
          tm_delete: now,
          revision: '1',
        });
        const again = await stop();
        expect(again.status).toBe(200);
        expect(again.body).toEqual(stopped.body);
        expect((await api.request('GET', `/v1/conferences/${id}`, { key })).body).toEqual(stopped.body);
      },
    );

    it('stop: foreign 404, stale If-Match 412', async () => {
      const id = await createConference(api, key);
      expect((await api.request('POST', `/v1/conferences/${id}/stop`, { key: otherKey })).status).toBe(404);
      expect((await api.request('DELETE', `/v1/conferences/${id}`, { key: otherKey })).status).toBe(404);
      const stale = await api.request('DELETE', `/v1/conferences/${id}`, {
        key,
        headers: { 'if-match': '"1"' },
      });
      expect(stale.status).toBe(412);
      const fresh = await api.request('DELETE', `/v1/conferences/${id}`, {
        key,
        headers: { 'if-match': '"0"' },
      });
      expect(fresh.status).toBe(200);
    });

    it('GET events: the audit trail from the store, tenant-checked', async () => {
      const id = await createConference(api, key);
      await api.request('PUT', `/v1/conferences/${id}`, { key, body: { name: 'renamed' } });
      await api.request('POST', `/v1/conferences/${id}/stop`, {
        key,
        headers: { 'x-correlation-id': 'stop-1' },
      });
      const events = await api.request('GET', `/v1/conferences/${id}/events`, { key });
      expect(events.status).toBe(200);
      expect(events.body.result.map((e: { type: string }) => e.type)).toEqual([
        'ConferenceCreated',
        'ConferenceUpdated',
        'ConferenceTerminated',
      ]);
      expect(events.body.result[1]).toMatchObject({ revision: '1', data: { name: 'renamed' } });
      expect(events.body.result[2]).toMatchObject({
        stream: `conference-${id}`,
        correlation_id: 'stop-1',
        actor: expect.stringMatching(/^key:/),
      });
      expect(Object.keys(events.body.result[2]).sort()).toEqual(EVENT_VIEW_FIELDS);
      expect((await api.request('GET', `/v1/conferences/${id}/events`, { key: otherKey })).status).toBe(404);
      const unknown = await api.request(
        'GET',
        '/v1/conferences/00000000-0000-7000-8000-0000000000fe/events',
        { key },
      );
      expect(unknown.status).toBe(404);
    });
  });
});
