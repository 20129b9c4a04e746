import type { SimulatedMediaGateway } from '../../src/calls/call-process/simulated-media-gateway';
import { MEDIA_GATEWAY } from '../../src/calls/media-gateway/media-gateway.port';
import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { createConference, eventually, join } from './conference-api-helpers';

const WELCOME = { type: 'talk', option: { text: 'Hello. Welcome to the test conference.' } };
const GOODBYE = { type: 'talk', option: { text: 'The conference has closed. Thank you. Good bye.' } };

/**
 * End to end with the built-in simulated media gateway: it dials and answers calls, and confirms joins and
 * leaves on its own (after its conference delay), through CONFERENCE_SIGNAL_HANDLER. Nothing is reported by
 * hand here.
 */
describe('conferences with the simulated media gateway', () => {
  let api: TestApp;
  let key: string;

  beforeAll(async () => {
    api = await TestApp.start({
      clock: new FixedClock('2026-02-03T06:00:00.000Z'),
      config: { mediaGatewayMode: 'simulated', simRingDelayMs: 0, simAnswerDelayMs: 0 },
    });
    ({ key } = await api.createCustomer('Acme'));
  });
  afterAll(() => api.close());

  const gateway = () => api.app.get<SimulatedMediaGateway>(MEDIA_GATEWAY);
  const participant = async (id: string) =>
    (await api.request('GET', `/v1/conferencecalls/${id}`, { key })).body;
  const conference = async (id: string) => (await api.request('GET', `/v1/conferences/${id}`, { key })).body;
  const call = async (id: string) => (await api.request('GET', `/v1/calls/${id}`, { key })).body;
  const answeredCall = async (): Promise<string> => {
    const made = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'bob', type: 'voice' } });
    await eventually(async () => expect((await call(made.body.id)).status).toBe('progressing'));
    return made.body.id;
  };
  const joinedParticipant = async (conferenceId: string, callId: string): Promise<string> => {
    const joining = await join(api, key, conferenceId, callId);
    expect(joining.status).toBe(201);
    await eventually(async () => expect((await participant(joining.body.id)).status).toBe('joined'));
    return joining.body.id;
  };
  const withActions = () =>
    createConference(api, key, { type: 'conference', pre_actions: [WELCOME], post_actions: [GOODBYE] });

  it('join → joined → kick → leaved, handing the pre and post actions to the gateway', async () => {
    const conferenceId = await withActions();
    const callId = await answeredCall();
    const id = await joinedParticipant(conferenceId, callId);

    const kicked = await api.request('DELETE', `/v1/conferencecalls/${id}`, { key });
    expect(kicked.body.status).toBe('leaving');
    await eventually(async () => {
      expect((await participant(id)).status).toBe('leaved');
      expect((await conference(conferenceId)).participant_count).toBe(0);
      expect((await call(callId)).conference_id).toBeNull();
    });
    expect(gateway().actionsPlayed(callId)).toEqual([
      { phase: 'pre', conferenceId, conferencecallId: id, actions: [WELCOME] },
      { phase: 'post', conferenceId, conferencecallId: id, actions: [GOODBYE] },
    ]);
  });

  it('a call hung up through the calls API leaves its conference by itself', async () => {
    const conferenceId = await withActions();
    const callId = await answeredCall();
    const id = await joinedParticipant(conferenceId, callId);
    expect((await api.request('POST', `/v1/calls/${callId}/hangup`, { key })).status).toBe(200);
    await eventually(async () => {
      expect((await call(callId)).status).toBe('hangup');
      expect((await participant(id)).status).toBe('leaved');
      expect((await conference(conferenceId)).participant_count).toBe(0);
    });
  });

  it('a stopped conference kicks everyone and is terminated once the gateway has taken them out', async () => {
    const conferenceId = await withActions();
    const ids = [
      await joinedParticipant(conferenceId, await answeredCall()),
      await joinedParticipant(conferenceId, await answeredCall()),
      await joinedParticipant(conferenceId, await answeredCall()),
    ];
    const stopped = await api.request('DELETE', `/v1/conferences/${conferenceId}`, { key });
    expect(stopped.body.status).toBe('terminating');
    await eventually(async () =>
      expect(await conference(conferenceId)).toMatchObject({
        status: 'terminated',
        end_reason: 'stopped',
        participant_count: 0,
      }),
    );
    for (const id of ids) expect((await participant(id)).status).toBe('leaved');
  });

  it('a connect conference ends when one of its two calls leaves', async () => {
    const conferenceId = await createConference(api, key, { type: 'connect' });
    const first = await joinedParticipant(conferenceId, await answeredCall());
    const second = await joinedParticipant(conferenceId, await answeredCall());
    await api.request('DELETE', `/v1/conferencecalls/${first}`, { key });
    await eventually(async () => {
      expect(await conference(conferenceId)).toMatchObject({
        status: 'terminated',
        end_reason: 'last_participant_left',
      });
      expect((await participant(second)).status).toBe('leaved');
    });
  });
});
