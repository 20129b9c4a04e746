import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { createConference, eventually, join } from './conference-api-helpers';

/**
 * End to end over HTTP: calls through the calls API, media reports with a `media` key (what an external
 * gateway would send), and the conference sagas (kick on termination, auto-leave on hangup, clean-up).
 */
describe('conference lifecycle', () => {
  let api: TestApp;
  let key: string;
  let mediaKey: string;
  let signalCounter = 0;

  beforeAll(async () => {
    // External media mode: the test is the media layer, so no simulated report races the assertions.
    api = await TestApp.start({
      clock: new FixedClock('2026-02-03T06:08:56.672Z'),
      config: { mediaGatewayMode: 'external' },
    });
    let customerId: string;
    ({ key, customerId } = await api.createCustomer('Acme'));
    const media = await api.request('POST', `/v1/customers/${customerId}/keys`, { body: { role: 'media' } });
    mediaKey = media.body.key;
  });
  afterAll(() => api.close());

  const callSignal = (callId: string, signal: string) =>
    api.request('POST', `/v1/calls/${callId}/signals`, {
      key: mediaKey,
      body: { signal_id: `sig-${++signalCounter}`, signal },
    });
  const answeredCall = async (): Promise<string> => {
    const made = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'bob', type: 'voice' } });
    expect(made.status).toBe(201);
    expect((await callSignal(made.body.id, 'ringing')).status).toBe(200);
    expect((await callSignal(made.body.id, 'answered')).status).toBe(200);
    return made.body.id;
  };
  const media = (conferencecallId: string, signal: 'joined' | 'left') =>
    api.request('POST', `/v1/conferencecalls/${conferencecallId}/signals`, {
      key: mediaKey,
      body: { signal_id: `conf-sig-${++signalCounter}`, signal },
    });
  const participant = async (id: string) =>
    (await api.request('GET', `/v1/conferencecalls/${id}`, { key })).body;
  const conference = async (id: string) => (await api.request('GET', `/v1/conferences/${id}`, { key })).body;
  const call = async (id: string) => (await api.request('GET', `/v1/calls/${id}`, { key })).body;
  const joinedParticipant = async (conferenceId: string, callId: string): Promise<string> => {
    const joining = await join(api, key, conferenceId, callId);
    expect(joining.status).toBe(201);
    const joined = await media(joining.body.id, 'joined');
    expect(joined.status).toBe(200);
    expect(joined.body.status).toBe('joined');
    return joining.body.id;
  };

  it('join → joined → kick → leaving → left: removed from the conference, call released', async () => {
    const conferenceId = await createConference(api, key);
    const callId = await answeredCall();
    const id = await joinedParticipant(conferenceId, callId);
    expect(await call(callId)).toMatchObject({ conference_id: conferenceId });

    const kicked = await api.request('DELETE', `/v1/conferencecalls/${id}`, { key });
    expect(kicked.body.status).toBe('leaving');
    expect((await media(id, 'left')).body.status).toBe('leaved');

    await eventually(async () => {
      expect(await conference(conferenceId)).toMatchObject({ participant_count: 0, conferencecall_ids: [] });
      expect(await call(callId)).toMatchObject({ conference_id: null });
    });
    expect(await participant(id)).toMatchObject({ status: 'leaved', tm_delete: expect.any(String) });
    // Free again: the same call can join another conference.
    expect((await join(api, key, await createConference(api, key), callId)).status).toBe(201);
  });

  it('media reports out of order never move a participant back', async () => {
    const conferenceId = await createConference(api, key);
    const id = (await join(api, key, conferenceId, await answeredCall())).body.id;
    await api.request('DELETE', `/v1/conferencecalls/${id}`, { key });
    expect((await media(id, 'joined')).body.status).toBe('leaving'); // the join happened after our kick
    expect((await media(id, 'left')).body.status).toBe('leaved');
    expect((await media(id, 'joined')).body.status).toBe('leaved');
    expect((await media(id, 'left')).body.status).toBe('leaved');
    expect((await participant(id)).status).toBe('leaved');
  });

  it.each(['joined', 'joining'])('a call that hangs up while %s leaves its conference', async (status) => {
    const conferenceId = await createConference(api, key);
    const callId = await answeredCall();
    const id =
      status === 'joined'
        ? await joinedParticipant(conferenceId, callId)
        : (await join(api, key, conferenceId, callId)).body.id;
    expect((await callSignal(callId, 'hangup')).body.status).toBe('hangup');
    await eventually(async () => {
      expect((await participant(id)).status).toBe('leaved');
      expect((await conference(conferenceId)).participant_count).toBe(0);
    });
  });

  it('stop with participants: terminating, everyone kicked, terminated after the last has left', async () => {
    const conferenceId = await createConference(api, key);
    const ids = [
      await joinedParticipant(conferenceId, await answeredCall()),
      await joinedParticipant(conferenceId, await answeredCall()),
    ];
    const stopped = await api.request('POST', `/v1/conferences/${conferenceId}/stop`, { key });
    expect(stopped.body).toMatchObject({
      status: 'terminating',
      end_reason: 'stopped',
      participant_count: 2,
    });
    await eventually(async () => {
      for (const id of ids) expect(['leaving', 'leaved']).toContain((await participant(id)).status);
    });
    const refused = await join(api, key, conferenceId, await answeredCall());
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('conference.not_accepting_joins');

    await media(ids[0], 'left');
    await eventually(async () => expect((await conference(conferenceId)).participant_count).toBe(1));
    expect((await conference(conferenceId)).status).toBe('terminating');
    await media(ids[1], 'left');
    await eventually(async () =>
      expect(await conference(conferenceId)).toMatchObject({ status: 'terminated', participant_count: 0 }),
    );
  });

  it('a participant still joining when the conference stops is kicked too, and it terminates', async () => {
    const conferenceId = await createConference(api, key);
    const id = (await join(api, key, conferenceId, await answeredCall())).body.id;
    await api.request('DELETE', `/v1/conferences/${conferenceId}`, { key });
    await eventually(async () => expect(['leaving', 'leaved']).toContain((await participant(id)).status));
    await media(id, 'left');
    await eventually(async () => expect((await conference(conferenceId)).status).toBe('terminated'));
  });

  it('media signals need a media key and a known participant of the tenant', async () => {
    const conferenceId = await createConference(api, key);
    const id = (await join(api, key, conferenceId, await answeredCall())).body.id;
    const asUser = await api.request('POST', `/v1/conferencecalls/${id}/signals`, {
      key,
      body: { signal_id: 'x', signal: 'joined' },
    });
    expect(asUser.status).toBe(403);
    const bad = await api.request('POST', `/v1/conferencecalls/${id}/signals`, {
      key: mediaKey,
      body: { signal_id: 'x', signal: 'ringing' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('signal');
    const { customerId: otherCustomer } = await api.createCustomer('Other');
    const otherMedia = await api.request('POST', `/v1/customers/${otherCustomer}/keys`, {
      body: { role: 'media' },
    });
    const foreign = await api.request('POST', `/v1/conferencecalls/${id}/signals`, {
      key: otherMedia.body.key,
      body: { signal_id: 'x', signal: 'joined' },
    });
    expect(foreign.status).toBe(404);
  });
});
