import { FeedMediaLayer } from '../support/feed-media-layer';
import { TestApp } from '../support/test-app';

/**
 * `MEDIA_GATEWAY_MODE=external` as README tells a media layer to work: it learns of every new call, hangup
 * request and conference join from the feed (never from the clients' answers or by polling the calls
 * list) and reports back through the signals API.
 */
describe('an external media layer following the feed', () => {
  jest.setTimeout(30_000);
  let api: TestApp;
  let key: string;
  let mediaKey: string;
  let other: { key: string; mediaKey: string };

  beforeAll(async () => {
    api = await TestApp.start({ config: { mediaGatewayMode: 'external' } });
    const tenant = await api.createCustomer('Media A');
    key = tenant.key;
    mediaKey = (
      await api.request('POST', `/v1/customers/${tenant.customerId}/keys`, { body: { role: 'media' } })
    ).body.key;
    const b = await api.createCustomer('Media B');
    other = {
      key: b.key,
      mediaKey: (await api.request('POST', `/v1/customers/${b.customerId}/keys`, { body: { role: 'media' } }))
        .body.key,
    };
  });
  afterAll(() => api.close());

  const statusOf = async (id: string) => (await api.request('GET', `/v1/calls/${id}`, { key })).body.status;
  const eventually = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 250; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`never: ${what}`);
  };

  it('dials every new call, confirms hangups and bridges conference joins, all from the feed', async () => {
    const media = await FeedMediaLayer.start(api.baseUrl, mediaKey, {
      plan: (call) => (call.destination.target === 'busy-bob' ? 'busy' : 'answer'),
    });
    const foreignMedia = await FeedMediaLayer.start(api.baseUrl, other.mediaKey);
    try {
      const answered = (await api.request('POST', '/v1/calls', { key, body: { contact_id: 'bob' } })).body.id;
      const busy = (await api.request('POST', '/v1/calls', { key, body: { contact_id: 'busy-bob' } })).body
        .id;
      await eventually(async () => (await statusOf(answered)) === 'progressing', 'answered');
      await eventually(async () => (await statusOf(busy)) === 'hangup', 'busy');
      expect(media.signalsOf(answered)).toEqual(['ringing', 'answered']);
      expect(media.signalsOf(busy)).toEqual(['busy']);

      const conference = await api.request('POST', '/v1/conferences', {
        key,
        body: { type: 'conference', name: 'standup', detail: '' },
      });
      const joining = await api.request('POST', '/v1/conferencecalls', {
        key,
        body: { conference_id: conference.body.id, reference_type: 'call', reference_id: answered },
      });
      expect(joining.status).toBe(201);
      await media.until((m) => m.signalsOf(joining.body.id).includes('joined'));
      await api.request('DELETE', `/v1/conferencecalls/${joining.body.id}`, { key });
      await media.until((m) => m.signalsOf(joining.body.id).includes('left'));

      await api.request('POST', `/v1/calls/${answered}/hangup`, { key, body: {} });
      await eventually(async () => (await statusOf(answered)) === 'hangup', 'hung up');
      expect(media.signalsOf(answered)).toEqual(['ringing', 'answered', 'hangup']);
      expect(media.signals.every((s) => s.status === 200)).toBe(true);
      // The other tenant's media layer saw none of it.
      expect(foreignMedia.dialled).toEqual([]);
    } finally {
      await media.close();
      await foreignMedia.close();
    }
  });

  it('after a restart with its last event id it dials what it missed, and nothing twice', async () => {
    const first = await FeedMediaLayer.start(api.baseUrl, mediaKey);
    const before = (await api.request('POST', '/v1/calls', { key, body: { contact_id: 'carol' } })).body.id;
    await first.until((m) => m.signalsOf(before).includes('answered'));
    await first.close();
    const resumeFrom = first.lastEventId as string;
    expect(resumeFrom).toMatch(/^\d+$/);

    const missed = (await api.request('POST', '/v1/calls', { key, body: { contact_id: 'dave' } })).body.id;
    const second = await FeedMediaLayer.start(api.baseUrl, mediaKey, { lastEventId: resumeFrom });
    try {
      await second.until((m) => m.signalsOf(missed).includes('answered'));
      expect(second.dialled).toEqual([missed]);
      expect(await statusOf(missed)).toBe('progressing');
    } finally {
      await second.close();
    }
  });
});
