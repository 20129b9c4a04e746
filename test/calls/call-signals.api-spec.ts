import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

/** POST /v1/calls/:id/signals: an external media layer reporting call progress with a `media` key. */
describe('POST /v1/calls/:id/signals', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let mediaKey: string;
  let otherMediaKey: string;

  const mediaKeyOf = async (customerId: string): Promise<string> =>
    (await api.request('POST', `/v1/customers/${customerId}/keys`, { body: { role: 'media' } })).body.key;

  beforeAll(async () => {
    clock = new FixedClock('2026-04-01T12:00:00.000Z');
    // Signals are driven by hand with a media key: no simulated gateway racing the assertions.
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    const customer = await api.createCustomer();
    key = customer.key;
    mediaKey = await mediaKeyOf(customer.customerId);
    otherMediaKey = await mediaKeyOf((await api.createCustomer('Other')).customerId);
  });
  afterAll(() => api.close());

  beforeEach(() => clock.set('2026-04-01T12:00:00.000Z'));

  const make = async (body: object = { contact_id: 'jj084' }): Promise<string> =>
    (await api.request('POST', '/v1/calls', { key, body })).body.id;
  const signal = (id: string, body: unknown, headers: Record<string, string> = {}, as = mediaKey) =>
    api.request('POST', `/v1/calls/${id}/signals`, { key: as, body, headers });

  it('moves the call through ringing, answer and remote hangup', async () => {
    const id = await make();
    clock.set('2026-04-01T12:00:02.000Z');
    const ringing = await signal(id, { signal_id: 'leg-1/ringing', signal: 'ringing' });
    expect(ringing.status).toBe(200);
    expect(ringing.headers.get('etag')).toBe('"1"');
    expect(ringing.body).toMatchObject({ status: 'ringing', tm_ringing: '2026-04-01T12:00:02.000Z' });

    clock.set('2026-04-01T12:00:05.000Z');
    const answered = await signal(id, { signal_id: 'leg-1/answered', signal: 'answered' });
    expect(answered.body).toMatchObject({
      status: 'progressing',
      tm_progressing: '2026-04-01T12:00:05.000Z',
    });

    clock.set('2026-04-01T12:01:05.400Z');
    const hungUp = await signal(id, {
      signal_id: 'leg-1/hangup',
      signal: 'hangup',
      cause: 'NORMAL_CLEARING',
    });
    expect(hungUp.body).toMatchObject({
      status: 'hangup',
      hangup_by: 'remote',
      hangup_reason: 'normal',
      end_reason: 'normal',
      raw_cause: 'NORMAL_CLEARING',
      end_time: '2026-04-01T12:01:05.400Z',
      tm_hangup: '2026-04-01T12:01:05.400Z',
      duration: 60,
      revision: '3',
    });
    // Read-your-writes: the user sees what the media layer just reported.
    expect((await api.request('GET', `/v1/calls/${id}`, { key })).body).toEqual(hungUp.body);
  });

  it('keeps a busy verdict and its raw cause', async () => {
    const id = await make();
    const busy = await signal(id, { signal_id: 'leg-2/busy', signal: 'busy', cause: 'USER_BUSY' });
    expect(busy.body).toMatchObject({
      status: 'hangup',
      hangup_by: 'remote',
      hangup_reason: 'busy',
      raw_cause: 'USER_BUSY',
      duration: 0,
    });
  });

  it('is idempotent per signal id; reusing an id for another signal is a 422', async () => {
    const id = await make();
    const first = await signal(id, { signal_id: 'leg-3/ringing', signal: 'ringing' });
    const again = await signal(id, { signal_id: 'leg-3/ringing', signal: 'ringing' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const reused = await signal(id, { signal_id: 'leg-3/ringing', signal: 'answered' });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('call.signal_id_reused');
  });

  it('answers a signal that contradicts the record with 409 naming the current status', async () => {
    const id = await make();
    await signal(id, { signal_id: 'leg-4/failed', signal: 'failed' });
    const late = await signal(id, { signal_id: 'leg-4/answered', signal: 'answered' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      code: 'call.invalid_transition',
      current_status: 'hangup',
      signal: 'answered',
    });
  });

  it('completes a local hangup when the media layer confirms it', async () => {
    const id = await make();
    await api.request('POST', `/v1/calls/${id}/hangup`, { key });
    const confirmed = await signal(id, { signal_id: 'leg-5/hangup', signal: 'hangup' });
    expect(confirmed.body).toMatchObject({ status: 'hangup', hangup_by: 'local', hangup_reason: 'cancel' });
  });

  it('If-Match: 412 when stale, applied when current', async () => {
    const id = await make();
    await signal(id, { signal_id: 'leg-6/ringing', signal: 'ringing' });
    const stale = await signal(
      id,
      { signal_id: 'leg-6/answered', signal: 'answered' },
      { 'if-match': '"0"' },
    );
    expect(stale.status).toBe(412);
    const current = await signal(
      id,
      { signal_id: 'leg-6/answered', signal: 'answered' },
      { 'if-match': '"1"' },
    );
    expect(current.status).toBe(200);
  });

  it('replays an Idempotency-Key with the first response', async () => {
    const id = await make();
    const headers = { 'idempotency-key': `signal-${id}` };
    const first = await signal(id, { signal_id: 'leg-7/ringing', signal: 'ringing' }, headers);
    const replay = await signal(id, { signal_id: 'leg-7/ringing', signal: 'ringing' }, headers);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
  });

  it('404 for another tenant’s media key and for unknown calls; 403 for user and admin keys', async () => {
    const id = await make();
    const body = { signal_id: 'leg-8/answered', signal: 'answered' };
    for (const response of [
      await signal(id, body, {}, otherMediaKey),
      await signal('0190a5e2-7c1a-7000-8000-00000000beef', body),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('call.not_found');
    }
    expect((await signal(id, body, {}, key)).status).toBe(403);
    expect((await api.request('POST', `/v1/calls/${id}/signals`, { body })).status).toBe(403);
    expect((await api.request('GET', `/v1/calls/${id}`, { key })).body.status).toBe('dialing');
  });

  it.each([
    [{ signal: 'ringing' }, 'signal_id'],
    [{ signal_id: 'has space', signal: 'ringing' }, 'signal_id'],
    [{ signal_id: 7, signal: 'ringing' }, 'signal_id'],
    [{ signal_id: 's-1' }, 'signal'],
    [{ signal_id: 's-1', signal: 'picked_up' }, 'signal'],
    [{ signal_id: 's-1', signal: 'hangup', cause: 16 }, 'cause'],
    [{ signal_id: 's-1', signal: 'hangup', at: '2026-04-01T12:00:00Z' }, 'at'],
  ])('%j → 400 naming %s', async (body, field) => {
    const id = await make();
    const response = await signal(id, body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('a cause over 256 characters → 400 naming cause', async () => {
    const id = await make();
    const response = await signal(id, { signal_id: 's-1', signal: 'hangup', cause: 'x'.repeat(257) });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['cause']);
  });
});
