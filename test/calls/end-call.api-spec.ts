import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

/** Ending calls: seed 000's PATCH /v1/calls/:id with end_time and VoIPBIN's POST /v1/calls/:id/hangup. */
describe('ending a call', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let mediaKey: string;
  let other: { customerId: string; key: string };

  beforeAll(async () => {
    clock = new FixedClock('2023-08-21T08:00:00.000Z');
    // Signals are driven by hand with a media key: no simulated gateway racing the assertions.
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    const customer = await api.createCustomer();
    key = customer.key;
    const media = await api.request('POST', `/v1/customers/${customer.customerId}/keys`, {
      body: { role: 'media' },
    });
    mediaKey = media.body.key;
    other = await api.createCustomer('Other');
  });
  afterAll(() => api.close());

  beforeEach(() => clock.set('2023-08-21T08:00:00.000Z'));

  const make = async (body: object = { contact_id: 'jj084', type: 'voice' }): Promise<string> =>
    (await api.request('POST', '/v1/calls', { key, body })).body.id;
  const signal = (id: string, signalId: string, kind: string) =>
    api.request('POST', `/v1/calls/${id}/signals`, {
      key: mediaKey,
      body: { signal_id: signalId, signal: kind },
    });
  const patch = (id: string, body?: unknown, headers: Record<string, string> = {}, as = key) =>
    api.request('PATCH', `/v1/calls/${id}`, { key: as, body, headers });
  const hangup = (id: string, headers: Record<string, string> = {}, as = key) =>
    api.request('POST', `/v1/calls/${id}/hangup`, { key: as, headers });

  it('runs seed 000 verbatim: make, end with end_time, then find it in the history', async () => {
    const made = await api.request('POST', '/v1/calls', {
      key,
      body: { contact_id: 'jj084', type: 'voice' },
    });
    const id = made.body.call_id;
    clock.set('2023-08-21T08:00:05.000Z');
    await signal(id, 'seed-answer', 'answered');

    clock.set('2023-08-21T08:10:02.000Z');
    const ended = await patch(id, { end_time: '2023-08-21T08:10:00Z' });
    expect(ended.status).toBe(200);
    expect(ended.headers.get('etag')).toBe('"2"');
    expect(ended.body).toMatchObject({
      call_id: id,
      status: 'terminating',
      end_time: '2023-08-21T08:10:00.000Z',
      hangup_by: 'local',
      hangup_reason: 'normal',
      duration: null,
    });

    // The media layer confirms; the talk time runs from the answer to the client's end time.
    clock.set('2023-08-21T08:10:03.000Z');
    const confirmed = await signal(id, 'seed-hangup', 'hangup');
    expect(confirmed.body).toMatchObject({
      status: 'hangup',
      end_time: '2023-08-21T08:10:00.000Z',
      tm_hangup: '2023-08-21T08:10:03.000Z',
      duration: 595,
      end_reason: 'normal',
    });

    const history = await api.request('GET', '/v1/calls/history?user_id=jj084&limit=10', { key });
    expect(history.body.call_records[0]).toMatchObject({
      call_id: id,
      contact_id: 'jj084',
      type: 'voice',
      start_time: '2023-08-21T08:00:00.000Z',
      end_time: '2023-08-21T08:10:00.000Z',
      metadata: {},
    });
  });

  it('shows the end at once to a GET (read-your-writes)', async () => {
    const id = await make();
    const ended = await patch(id, {});
    const fetched = await api.request('GET', `/v1/calls/${id}`, { key });
    expect(fetched.body).toEqual(ended.body);
    expect(fetched.body).toMatchObject({ status: 'canceling', hangup_reason: 'cancel' });
  });

  it('POST hangup ends the call; a second hangup returns it unchanged', async () => {
    const id = await make();
    const first = await hangup(id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'canceling', hangup_by: 'local', revision: '1' });
    const second = await hangup(id);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('etag')).toBe('"1"');
  });

  it('refuses an end_time before the start or in the future with 422', async () => {
    // A dial timeout past the clock's move below, so the call is still ours to end.
    const id = await make({ contact_id: 'jj084', dial_timeout: 600 });
    clock.set('2023-08-21T08:05:00.000Z');
    for (const endTime of ['2023-08-21T07:59:59Z', '2023-08-21T08:05:01Z']) {
      const response = await patch(id, { end_time: endTime });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'call.invalid_end_time', field: 'end_time' });
    }
    expect((await api.request('GET', `/v1/calls/${id}`, { key })).body.status).toBe('dialing');
    // Offsets other than Z are the same instant.
    expect((await patch(id, { end_time: '2023-08-21T15:04:00+07:00' })).body.end_time).toBe(
      '2023-08-21T08:04:00.000Z',
    );
  });

  it.each([
    [{ end_time: 'yesterday' }, 'end_time'],
    [{ end_time: '2023-08-21T08:10:00' }, 'end_time'],
    [{ end_time: 1692605400 }, 'end_time'],
    [{ end_time: '2023-08-21T08:10:00Z', status: 'hangup' }, 'status'],
  ])('PATCH %j → 400 naming %s', async (body, field) => {
    const id = await make();
    const response = await patch(id, body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('answers 404 for foreign and unknown calls, 400 for bad ids', async () => {
    const id = await make();
    for (const response of [
      await patch(id, {}, {}, other.key),
      await hangup(id, {}, other.key),
      await hangup('0190a5e2-7c1a-7000-8000-00000000beef'),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('call.not_found');
    }
    expect((await api.request('GET', `/v1/calls/${id}`, { key })).body.status).toBe('dialing');
    expect((await hangup('oke2738')).status).toBe(400);
  });

  describe('If-Match', () => {
    it('applies with the current ETag and answers 412 with a stale one', async () => {
      const id = await make();
      await signal(id, 'im-ring', 'ringing');
      const stale = await patch(id, {}, { 'if-match': '"0"' });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ code: 'revision.stale', current_revision: '1' });
      const staleHangup = await hangup(id, { 'if-match': '"0"' });
      expect(staleHangup.status).toBe(412);

      const current = await patch(id, {}, { 'if-match': '"1"' });
      expect(current.status).toBe(200);
      expect(current.body.revision).toBe('2');
    });

    it('400 for an If-Match that is not an ETag of this API', async () => {
      const id = await make();
      const response = await hangup(id, { 'if-match': 'yesterday' });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('If-Match');
    });
  });

  it('replays an Idempotency-Key with the first response', async () => {
    const id = await make();
    const headers = { 'idempotency-key': `end-${id}` };
    const first = await patch(id, {}, headers);
    await signal(id, 'idem-hangup', 'hangup');
    const replay = await patch(id, {}, headers);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('etag')).toBe(first.headers.get('etag'));
    const reused = await patch(id, { end_time: '2023-08-21T08:00:00Z' }, headers);
    expect(reused.status).toBe(422);
  });

  it('403 for admin and media keys', async () => {
    const id = await make();
    expect((await api.request('PATCH', `/v1/calls/${id}`, { body: {} })).status).toBe(403);
    expect((await hangup(id, {}, mediaKey)).status).toBe(403);
  });
});
