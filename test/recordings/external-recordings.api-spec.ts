import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { customerWithMediaKey } from './recording-api-helpers';

/** MEDIA_GATEWAY_MODE=external: the media layer reports a recording's end and its file URL over HTTP. */
describe('recordings (external media layer)', () => {
  let api: TestApp;
  let clock: FixedClock;
  let tenant: { customerId: string; key: string; mediaKey: string };
  let other: { customerId: string; key: string; mediaKey: string };

  beforeAll(async () => {
    clock = new FixedClock('2026-03-01T10:00:00.000Z');
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    tenant = await customerWithMediaKey(api, 'Tenant');
    other = await customerWithMediaKey(api, 'Other');
  });
  afterAll(() => api.close());

  const recordingOnAnsweredCall = async (): Promise<{ callId: string; recordingId: string }> => {
    const callId = (
      await api.request('POST', '/v1/calls', { key: tenant.key, body: { contact_id: 'jj084' } })
    ).body.id;
    await api.request('POST', `/v1/calls/${callId}/signals`, {
      key: tenant.mediaKey,
      body: { signal_id: `${callId}/answered`, signal: 'answered' },
    });
    const started = await api.request('POST', `/v1/calls/${callId}/recording/start`, { key: tenant.key });
    expect(started.status).toBe(201);
    return { callId, recordingId: started.body.id };
  };
  const report = (recordingId: string, body: unknown, key = tenant.mediaKey) =>
    api.request('POST', `/v1/recordings/${recordingId}/signals`, { key, body });

  it('takes the media layer’s report of the file, and the download redirects to it', async () => {
    const { callId, recordingId } = await recordingOnAnsweredCall();
    clock.advance(4_000);
    await api.request('POST', `/v1/calls/${callId}/recording/stop`, { key: tenant.key });
    const url = 'https://media.example.com/rec/1.wav';
    const finished = await report(recordingId, { signal_id: 'rec-1/finished', signal: 'finished', url });
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({
      status: 'finished',
      duration: 4,
      tm_end: '2026-03-01T10:00:04.000Z',
      media_url: url,
      url: `/v1/recordings/${recordingId}/file`,
    });
    // A redelivery changes nothing.
    const again = await report(recordingId, { signal_id: 'rec-1/finished', signal: 'finished', url });
    expect(again.headers.get('etag')).toBe(finished.headers.get('etag'));
    const file = await fetch(`${api.baseUrl}/v1/recordings/${recordingId}/file`, {
      headers: { authorization: `Bearer ${tenant.key}` },
      redirect: 'manual',
    });
    expect(file.status).toBe(302);
    expect(file.headers.get('location')).toBe(url);
  });

  it('a recording the media layer ends on its own frees the call’s slot', async () => {
    const { callId, recordingId } = await recordingOnAnsweredCall();
    const finished = await report(recordingId, {
      signal_id: 'rec-2/finished',
      signal: 'finished',
      url: 'https://media.example.com/rec/2.wav',
      duration: 9,
    });
    expect(finished.body).toMatchObject({ status: 'finished', duration: 9, stop_reason: 'media_ended' });
    const deadline = Date.now() + 5_000;
    let call = await api.request('GET', `/v1/calls/${callId}`, { key: tenant.key });
    while (call.body.recording_id !== null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      call = await api.request('GET', `/v1/calls/${callId}`, { key: tenant.key });
    }
    expect(call.body.recording_id).toBeNull();
  });

  it('refuses bad reports (400), user keys (403) and another tenant’s media key (404)', async () => {
    const { recordingId } = await recordingOnAnsweredCall();
    const good = { signal_id: 'rec-3/finished', signal: 'finished', url: 'https://media.example.com/3.wav' };
    for (const body of [
      { ...good, signal: 'exploded' },
      { ...good, url: 'not a url' },
      { ...good, duration: -1 },
      { ...good, duration: 1e300 },
      { ...good, tm_end: 'yesterday' },
      { signal: 'finished', url: good.url },
    ]) {
      const response = await report(recordingId, body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await report(recordingId, good, tenant.key)).status).toBe(403);
    expect((await report(recordingId, good, other.mediaKey)).status).toBe(404);
    const early = await report(recordingId, { ...good, tm_end: '2020-01-01T00:00:00Z' });
    expect(early.status).toBe(422);
  });
});
