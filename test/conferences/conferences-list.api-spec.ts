import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { createConference, SEED_CREATE_BODY } from './conference-api-helpers';

describe('conferences API: listing and OpenAPI', () => {
  let api: TestApp;
  let clock: FixedClock;
  let otherKey: string;

  beforeAll(async () => {
    clock = new FixedClock('2026-02-03T06:08:56.672Z');
    api = await TestApp.start({ clock });
    ({ key: otherKey } = await api.createCustomer('Other'));
  });
  afterAll(() => api.close());

  describe('GET /v1/conferences', () => {
    let ownKey: string;
    const ids: string[] = [];

    beforeAll(async () => {
      ({ key: ownKey } = await api.createCustomer('Lister'));
      for (let n = 0; n < 3; n++) {
        clock.advance(1000);
        ids.push(await createConference(api, ownKey, { ...SEED_CREATE_BODY, name: `conf ${n}` }));
      }
      ids.push(await createConference(api, ownKey, { type: 'connect' }));
      await api.request('POST', `/v1/conferences/${ids[0]}/stop`, { key: ownKey });
    });

    it('pages newest first with next_page_token, as in the seed', async () => {
      const first = await api.request('GET', '/v1/conferences?page_size=2', { key: ownKey });
      expect(first.status).toBe(200);
      expect(first.body.result.map((c: { id: string }) => c.id)).toEqual([ids[3], ids[2]]);
      expect(first.body.next_page_token).toEqual(expect.any(String));
      const second = await api.request(
        'GET',
        `/v1/conferences?page_size=2&page_token=${encodeURIComponent(first.body.next_page_token)}`,
        { key: ownKey },
      );
      expect(second.body.result.map((c: { id: string }) => c.id)).toEqual([ids[1], ids[0]]);
      expect(second.body.next_page_token).toBeNull();
    });

    it('filters by status and type', async () => {
      const terminated = await api.request('GET', '/v1/conferences?status=terminated', { key: ownKey });
      expect(terminated.body.result.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
      const connect = await api.request('GET', '/v1/conferences?type=connect', { key: ownKey });
      expect(connect.body.result.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
      const none = await api.request('GET', '/v1/conferences?status=starting', { key: ownKey });
      expect(none.body).toEqual({ result: [], next_page_token: null });
    });

    it("never shows another tenant's conferences", async () => {
      const other = await api.request('GET', '/v1/conferences?page_size=100', { key: otherKey });
      expect(other.body.result.map((c: { id: string }) => c.id)).not.toEqual(
        expect.arrayContaining([ids[0]]),
      );
    });

    it.each([
      ['page_size=0', 'page_size'],
      ['page_size=101', 'page_size'],
      ['page_size=two', 'page_size'],
      ['status=paused', 'status'],
      ['type=meeting', 'type'],
      ['page_token=not-ours', 'page_token'],
      ['color=red', 'color'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const response = await api.request('GET', `/v1/conferences?${query}`, { key: ownKey });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  it('documents the routes, the views and the request bodies in OpenAPI', async () => {
    const response = await api.request('GET', '/openapi.json', { key: null });
    expect(response.status).toBe(200);
    const { paths, components } = response.body;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v1/conferences',
        '/v1/conferences/{id}',
        '/v1/conferences/{id}/stop',
        '/v1/conferences/{id}/events',
        '/v1/conferencecalls',
        '/v1/conferencecalls/{id}',
        '/v1/conferencecalls/{id}/signals',
      ]),
    );
    expect(Object.keys(paths['/v1/conferences/{id}'])).toEqual(
      expect.arrayContaining(['get', 'put', 'delete']),
    );
    const view = components.schemas.ConferenceView.properties;
    for (const field of [
      'id',
      'customer_id',
      'type',
      'status',
      'name',
      'detail',
      'data',
      'timeout',
      'pre_actions',
      'post_actions',
      'conferencecall_ids',
      'recording_id',
      'recording_ids',
      'tm_create',
      'tm_update',
      'tm_delete',
      'max_participants',
      'end_reason',
      'participant_count',
      'revision',
    ])
      expect(view).toHaveProperty(field);
    expect(components.schemas.ConferencecallView.properties.status.enum).toEqual([
      'joining',
      'joined',
      'leaving',
      'leaved',
    ]);
    expect(components.schemas.CreateConferenceRequest.properties.type.enum).toEqual([
      'conference',
      'connect',
    ]);
    expect(components.schemas.JoinConferenceRequest.required).toEqual(
      expect.arrayContaining(['conference_id', 'reference_type', 'reference_id']),
    );
  });
});
