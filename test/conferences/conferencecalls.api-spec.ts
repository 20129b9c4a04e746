import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { callIn, callState, createConference, eventually, join } from './conference-api-helpers';

/** The seed's conferencecall fields, plus our revision. */
const SEED_PARTICIPANT_KEYS = [
  'conference_id',
  'customer_id',
  'id',
  'reference_id',
  'reference_type',
  'revision',
  'status',
  'tm_create',
  'tm_delete',
  'tm_update',
];

describe('conferencecalls API (join and kick)', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let customerId: string;
  let otherKey: string;
  let otherCustomerId: string;

  beforeAll(async () => {
    clock = new FixedClock('2026-02-03T06:08:56.672Z');
    api = await TestApp.start({ clock });
    ({ key, customerId } = await api.createCustomer('Acme'));
    ({ key: otherKey, customerId: otherCustomerId } = await api.createCustomer('Other'));
  });
  afterAll(() => api.close());

  const conferenceView = async (id: string) =>
    (await api.request('GET', `/v1/conferences/${id}`, { key })).body;
  const participants = async (conferenceId: string) =>
    (await api.request('GET', `/v1/conferencecalls?conference_id=${conferenceId}&page_size=100`, { key }))
      .body.result;

  describe('POST /v1/conferencecalls', () => {
    it('joins an answered call: participant joining, listed by the conference, call assigned', async () => {
      const conferenceId = await createConference(api, key);
      const callId = await callIn(api, customerId);
      const joined = await join(api, key, conferenceId, callId);
      expect(joined.status).toBe(201);
      expect(Object.keys(joined.body).sort()).toEqual(SEED_PARTICIPANT_KEYS);
      expect(joined.body).toMatchObject({
        customer_id: customerId,
        conference_id: conferenceId,
        reference_type: 'call',
        reference_id: callId,
        tm_delete: null,
      });
      expect(['joining', 'joined']).toContain(joined.body.status);
      expect(joined.headers.get('location')).toBe(`/v1/conferencecalls/${joined.body.id}`);
      expect(joined.headers.get('etag')).toBe(`"${joined.body.revision}"`);

      const conference = await conferenceView(conferenceId);
      expect(conference).toMatchObject({ conferencecall_ids: [joined.body.id], participant_count: 1 });
      expect((await callState(api, callId)) as object).toMatchObject({
        conference: { conferenceId, conferencecallId: joined.body.id },
      });
      const fetched = await api.request('GET', `/v1/conferencecalls/${joined.body.id}`, { key });
      expect(fetched.status).toBe(200);
      expect(fetched.body.id).toBe(joined.body.id);
      expect((await participants(conferenceId)).map((p: { id: string }) => p.id)).toEqual([joined.body.id]);
    });

    it.each([
      ['the call is not answered', 'call.not_answered'],
      ['the call is already in a conference', 'call.already_in_conference'],
      ['the conference is not progressing', 'conference.not_accepting_joins'],
      ['the conference is full', 'conference.full'],
    ])('409 when %s, naming the rule, and nothing is left behind', async (_rule, code) => {
      const conferenceId = await createConference(api, key, { type: 'conference', max_participants: 1 });
      let callId = await callIn(api, customerId, code === 'call.not_answered' ? 'dialing' : 'progressing');
      if (code === 'call.already_in_conference') {
        const elsewhere = await createConference(api, key);
        expect((await join(api, key, elsewhere, callId)).status).toBe(201);
      }
      if (code === 'conference.full') {
        expect((await join(api, key, conferenceId, await callIn(api, customerId))).status).toBe(201);
      }
      if (code === 'conference.not_accepting_joins') {
        await api.request('POST', `/v1/conferences/${conferenceId}/stop`, { key });
        callId = await callIn(api, customerId);
      }
      const before = await conferenceView(conferenceId);
      const refused = await join(api, key, conferenceId, callId);
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 409, code, type: `/problems/${code}` });
      expect(await conferenceView(conferenceId)).toEqual(before);
      expect(
        (await participants(conferenceId)).map((p: { reference_id: string }) => p.reference_id),
      ).not.toContain(callId);
    });

    it('404 for an unknown or foreign conference, and for a foreign call, alike', async () => {
      const callId = await callIn(api, customerId);
      const foreignConference = await createConference(api, otherKey);
      const unknown = await join(api, key, '00000000-0000-7000-8000-0000000000ff', callId);
      const foreign = await join(api, key, foreignConference, callId);
      expect(unknown.status).toBe(404);
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('conference.not_found');

      const ownConference = await createConference(api, key);
      const foreignCall = await callIn(api, otherCustomerId);
      const byCall = await join(api, key, ownConference, foreignCall);
      expect(byCall.status).toBe(404);
      expect(byCall.body.code).toBe('call.not_found');
      expect(await participants(ownConference)).toEqual([]);
    });

    it.each([
      [{}, 'conference_id'],
      [
        { conference_id: 'x', reference_type: 'call', reference_id: '00000000-0000-7000-8000-000000000001' },
        'conference_id',
      ],
      [
        {
          conference_id: '00000000-0000-7000-8000-000000000001',
          reference_type: 'sip',
          reference_id: '00000000-0000-7000-8000-000000000001',
        },
        'reference_type',
      ],
      [{ conference_id: '00000000-0000-7000-8000-000000000001', reference_type: 'call' }, 'reference_id'],
    ])('%j → 400 naming %s', async (body, field) => {
      const response = await api.request('POST', '/v1/conferencecalls', { key, body });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('a call joins at most one conference, even when two joins race', async () => {
      const first = await createConference(api, key);
      const second = await createConference(api, key);
      const callId = await callIn(api, customerId);
      const answers = await Promise.all([join(api, key, first, callId), join(api, key, second, callId)]);
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, 409]);
      const winner = answers.find((a) => a.status === 201)!.body;
      const call = (await callState(api, callId)) as { conference: { conferenceId: string } };
      expect(call.conference.conferenceId).toBe(winner.conference_id);
      // The loser's conference holds nobody: its admission, if it happened, was rolled back.
      const loser = winner.conference_id === first ? second : first;
      expect((await conferenceView(loser)).participant_count).toBe(0);
      for (const p of await participants(loser)) expect(p.status).toBe('leaved');
    });

    it('replays the first answer for the same Idempotency-Key: one participant', async () => {
      const conferenceId = await createConference(api, key);
      const callId = await callIn(api, customerId);
      const headers = { 'idempotency-key': `join-${callId}` };
      const body = { conference_id: conferenceId, reference_type: 'call', reference_id: callId };
      const first = await api.request('POST', '/v1/conferencecalls', { key, body, headers });
      const second = await api.request('POST', '/v1/conferencecalls', { key, body, headers });
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(await participants(conferenceId)).toHaveLength(1);
    });
  });

  describe('GET and DELETE /v1/conferencecalls/:id', () => {
    let conferenceId: string;
    let participantId: string;

    beforeEach(async () => {
      conferenceId = await createConference(api, key);
      const joined = await join(api, key, conferenceId, await callIn(api, customerId));
      participantId = joined.body.id;
    });

    it("kicks: answers the participant as in the seed's example, status leaving; again is a no-op", async () => {
      clock.advance(21_000);
      const kicked = await api.request('DELETE', `/v1/conferencecalls/${participantId}`, { key });
      expect(kicked.status).toBe(200);
      expect(Object.keys(kicked.body).sort()).toEqual(SEED_PARTICIPANT_KEYS);
      expect(kicked.body).toMatchObject({
        id: participantId,
        conference_id: conferenceId,
        status: 'leaving',
      });
      expect(kicked.body.tm_update).toBe(clock.now().toISOString());
      expect(kicked.headers.get('etag')).toBe(`"${kicked.body.revision}"`);

      const again = await api.request('DELETE', `/v1/conferencecalls/${participantId}`, { key });
      expect(again.status).toBe(200);
      expect(again.body.revision).toBe(kicked.body.revision);
      expect(again.body.status).toBe(kicked.body.status);
      const fetched = await api.request('GET', `/v1/conferencecalls/${participantId}`, { key });
      expect(fetched.body.status).toBe('leaving');
    });

    it('kick honours If-Match; foreign and unknown are 404 whatever the headers', async () => {
      // The media layer confirms the join on its own time and that moves the revision: take the ETag after.
      const get = () => api.request('GET', `/v1/conferencecalls/${participantId}`, { key });
      await eventually(async () => expect((await get()).body.status).toBe('joined'));
      const current = await get();
      const stale = await api.request('DELETE', `/v1/conferencecalls/${participantId}`, {
        key,
        headers: { 'if-match': `"${Number(current.body.revision) + 1}"` },
      });
      expect(stale.status).toBe(412);
      for (const headers of [{}, { 'if-match': current.headers.get('etag')! }] as Record<string, string>[]) {
        const foreign = await api.request('DELETE', `/v1/conferencecalls/${participantId}`, {
          key: otherKey,
          headers,
        });
        expect(foreign.status).toBe(404);
        expect(foreign.body.code).toBe('conferencecall.not_found');
      }
      const unknown = await api.request(
        'DELETE',
        '/v1/conferencecalls/00000000-0000-7000-8000-0000000000ff',
        { key },
      );
      expect(unknown.status).toBe(404);
      const ok = await api.request('DELETE', `/v1/conferencecalls/${participantId}`, {
        key,
        headers: { 'if-match': current.headers.get('etag')! },
      });
      expect(ok.status).toBe(200);
    });

    it('GET: bad id 400, foreign 404', async () => {
      expect((await api.request('GET', '/v1/conferencecalls/nope', { key })).status).toBe(400);
      expect(
        (await api.request('GET', `/v1/conferencecalls/${participantId}`, { key: otherKey })).status,
      ).toBe(404);
    });

    it('lists: bad conference_id 400; another tenant sees nothing', async () => {
      const bad = await api.request('GET', '/v1/conferencecalls?conference_id=nope', { key });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('conference_id');
      const foreign = await api.request('GET', `/v1/conferencecalls?conference_id=${conferenceId}`, {
        key: otherKey,
      });
      expect(foreign.body).toEqual({ result: [], next_page_token: null });
    });
  });
});
