import { createConference, eventually, join } from '../conferences/conference-api-helpers';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

/**
 * GET /v1/usage over real HTTP, with calls of known durations on a fixed clock. The test is the media
 * layer (external mode), so every answer and hangup happens at the instant it sets.
 */
describe('GET /v1/usage', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let mediaKey: string;
  let other: { key: string; mediaKey: string };
  let signals = 0;

  const mediaKeyOf = async (customerId: string): Promise<string> =>
    (await api.request('POST', `/v1/customers/${customerId}/keys`, { body: { role: 'media' } })).body.key;
  const make = async (body: object, as = key): Promise<string> => {
    const response = await api.request('POST', '/v1/calls', { key: as, body });
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    return response.body.id;
  };
  const signal = async (id: string, kind: string, as = mediaKey) => {
    const response = await api.request('POST', `/v1/calls/${id}/signals`, {
      key: as,
      body: { signal_id: `u-${++signals}`, signal: kind },
    });
    if (response.status !== 200) throw new Error(JSON.stringify(response.body));
  };
  /** A call answered at `answerAt` and hung up by the far end at `endAt`. */
  const talk = async (
    answerAt: string,
    endAt: string,
    body: object = { contact_id: 'jj084' },
    who = 'me',
  ) => {
    const [as, media] = who === 'me' ? [key, mediaKey] : [other.key, other.mediaKey];
    clock.set(new Date(Date.parse(answerAt) - 5000));
    const id = await make(body, as);
    await signal(id, 'ringing', media);
    clock.set(answerAt);
    await signal(id, 'answered', media);
    clock.set(endAt);
    await signal(id, 'hangup', media);
    return id;
  };
  const usage = (query: string, as = key) => api.request('GET', `/v1/usage?${query}`, { key: as });

  beforeAll(async () => {
    clock = new FixedClock('2026-06-01T09:00:00.000Z');
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    const mine = await api.createCustomer('Usage');
    key = mine.key;
    mediaKey = await mediaKeyOf(mine.customerId);
    const theirs = await api.createCustomer('Other');
    other = { key: theirs.key, mediaKey: await mediaKeyOf(theirs.customerId) };

    // 2026-06-01: 90 s outgoing (2 min), a busy incoming call (0), and 300 s outgoing (5 min) of which
    // 200 s in a conference (4 participant-minutes).
    await talk('2026-06-01T10:00:05.000Z', '2026-06-01T10:01:35.000Z');
    clock.set('2026-06-01T10:02:00.000Z');
    await signal(await make({ contact_id: 'jj084', direction: 'incoming' }), 'busy');
    clock.set('2026-06-01T10:04:55.000Z');
    const inConference = await make({ contact_id: 'jj084' });
    await signal(inConference, 'ringing');
    clock.set('2026-06-01T10:05:00.000Z');
    await signal(inConference, 'answered');
    const joining = await join(api, key, await createConference(api, key), inConference);
    const participant = joining.body.id;
    const conferenceSignal = (kind: string) =>
      api.request('POST', `/v1/conferencecalls/${participant}/signals`, {
        key: mediaKey,
        body: { signal_id: `c-${++signals}`, signal: kind },
      });
    expect((await conferenceSignal('joined')).status).toBe(200);
    clock.set('2026-06-01T10:08:20.000Z');
    expect((await conferenceSignal('left')).status).toBe(200);
    await eventually(async () => {
      const call = await api.request('GET', `/v1/calls/${inConference}`, { key });
      expect(call.body.conference_id).toBeNull();
    });
    clock.set('2026-06-01T10:10:00.000Z');
    await signal(inConference, 'hangup');
    // Across midnight: 61 s (2 min), counted on the day it ended.
    await talk('2026-06-02T23:59:30.000Z', '2026-06-03T00:00:31.000Z');
    // Another tenant's 60 s call the same day.
    await talk('2026-06-01T11:00:00.000Z', '2026-06-01T11:01:00.000Z', { contact_id: 'x' }, 'other');
  });
  afterAll(() => api.close());

  const zeroOutcomes = {
    normal: 0,
    failed: 0,
    busy: 0,
    cancel: 0,
    timeout: 0,
    noanswer: 0,
    dialout: 0,
    amd: 0,
  };

  it('by day: every day of the range, calls by direction and outcome, minutes rounded up per call', async () => {
    const response = await usage('from=2026-06-01&to=2026-06-03&granularity=day');
    expect(response.status).toBe(200);
    expect(response.body.granularity).toBe('day');
    expect(response.body.buckets.map((b: { period: string }) => b.period)).toEqual([
      '2026-06-01',
      '2026-06-02',
      '2026-06-03',
    ]);
    expect(response.body.buckets[0]).toEqual({
      period: '2026-06-01',
      start: '2026-06-01T00:00:00.000Z',
      end: '2026-06-02T00:00:00.000Z',
      calls: 3,
      billable_minutes: 7,
      outgoing: { calls: 2, billable_minutes: 7, outcomes: { ...zeroOutcomes, normal: 2 } },
      incoming: { calls: 1, billable_minutes: 0, outcomes: { ...zeroOutcomes, busy: 1 } },
      conference_participant_minutes: 4,
      recording_minutes: 0,
    });
    expect(response.body.buckets[1]).toMatchObject({ calls: 0, billable_minutes: 0 });
    expect(response.body.buckets[2]).toMatchObject({ calls: 1, billable_minutes: 2 });
    expect(response.body.totals).toMatchObject({
      calls: 4,
      billable_minutes: 9,
      conference_participant_minutes: 4,
      recording_minutes: 0,
    });
  });

  it('by month (the default is day): months clipped to the range', async () => {
    const month = await usage('from=2026-05-15&to=2026-06-30&granularity=month');
    expect(month.status).toBe(200);
    expect(month.body.buckets).toHaveLength(2);
    expect(month.body.buckets[0]).toMatchObject({
      period: '2026-05',
      start: '2026-05-15T00:00:00.000Z',
      calls: 0,
    });
    expect(month.body.buckets[1]).toMatchObject({
      period: '2026-06',
      end: '2026-07-01T00:00:00.000Z',
      calls: 4,
      billable_minutes: 9,
      conference_participant_minutes: 4,
    });
    const byDefault = await usage('from=2026-06-02&to=2026-06-02');
    expect(byDefault.body).toMatchObject({ granularity: 'day', totals: { calls: 0 } });
  });

  it('a tenant sees only its own usage', async () => {
    const theirs = await usage('from=2026-06-01&to=2026-06-03', other.key);
    expect(theirs.status).toBe(200);
    expect(theirs.body.totals).toMatchObject({
      calls: 1,
      billable_minutes: 1,
      conference_participant_minutes: 0,
    });
    expect(theirs.body.customer_id).not.toBe((await usage('from=2026-06-01&to=2026-06-01')).body.customer_id);
  });

  it('shows a hangup as soon as its write answered (read-your-writes)', async () => {
    const before = (await usage('from=2026-06-10&to=2026-06-10')).body.totals.calls;
    await talk('2026-06-10T08:00:00.000Z', '2026-06-10T08:00:10.000Z');
    expect((await usage('from=2026-06-10&to=2026-06-10')).body.totals).toMatchObject({
      calls: before + 1,
      billable_minutes: 1,
    });
  });

  it('a rebuild of the read model from the log gives the same answer', async () => {
    const before = (await usage('from=2026-06-01&to=2026-06-30&granularity=month')).body;
    expect((await api.request('POST', '/v1/admin/projections/usage/rebuild')).status).toBe(202);
    await eventually(async () => {
      const list = await api.request('GET', '/v1/admin/projections');
      const status = list.body.result.find((p: { name: string }) => p.name === 'usage');
      expect(status).toMatchObject({ rebuild: null, lag: '0' });
      expect(status.state).not.toBe('rebuilding');
    }, 10_000);
    expect((await usage('from=2026-06-01&to=2026-06-30&granularity=month')).body).toEqual(before);
  });

  it.each([
    ['to=2026-06-01', 'from'],
    ['from=2026-06-01', 'to'],
    ['from=2026-06-31&to=2026-07-01', 'from'],
    ['from=yesterday&to=2026-06-01', 'from'],
    ['from=2026-06-01T00:00:00Z&to=2026-06-02', 'from'],
    ['from=2026-06-02&to=2026-06-01', 'to'],
    ['from=2026-06-01&to=2026-06-02&granularity=week', 'granularity'],
    ['from=2025-01-01&to=2026-01-02', 'to'],
    ['from=1990-01-01&to=2026-01-01&granularity=month', 'to'],
    ['from=2026-06-01&to=2026-06-02&tenant=other', 'tenant'],
  ])('?%s → 400 problem+json naming %s', async (query, field) => {
    const response = await usage(query);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('is for tenants: 401 without a key, 403 for admin and media keys', async () => {
    expect((await api.request('GET', '/v1/usage?from=2026-06-01&to=2026-06-01', { key: null })).status).toBe(
      401,
    );
    expect((await api.request('GET', '/v1/usage?from=2026-06-01&to=2026-06-01')).status).toBe(403);
    expect((await usage('from=2026-06-01&to=2026-06-01', mediaKey)).status).toBe(403);
  });

  it('is in OpenAPI', async () => {
    const doc = (await api.request('GET', '/openapi.json', { key: null })).body;
    expect(doc.paths['/v1/usage'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'from',
      'granularity',
      'to',
    ]);
    expect(Object.keys(doc.components.schemas.UsageBucketView.properties)).toEqual(
      expect.arrayContaining([
        'period',
        'calls',
        'billable_minutes',
        'conference_participant_minutes',
        'recording_minutes',
      ]),
    );
  });
});
