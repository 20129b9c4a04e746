import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { callIn } from './conference-api-helpers';

/**
 * Issue 11, defect 2: under contention a refused join used to leave a `leaved` participant that the list
 * showed (one per refused join). A client that got a 409 must find nothing of that join.
 */
describe('refused joins leave nothing a client can list', () => {
  let api: TestApp;
  let key: string;
  let customerId: string;

  beforeAll(async () => {
    api = await TestApp.start({
      clock: new FixedClock('2026-01-01T00:00:00.000Z'),
      ids: new SequentialIds(),
      config: { mediaGatewayMode: 'external' },
    });
    ({ key, customerId } = await api.createCustomer());
  });
  afterAll(() => api.close());

  it('eight concurrent joins into max_participants 2: two 201, six 409, and the list holds the two', async () => {
    const conference = await api.request('POST', '/v1/conferences', {
      key,
      body: { type: 'conference', name: 'small', max_participants: 2 },
    });
    const conferenceId: string = conference.body.id;
    const calls: string[] = [];
    for (let i = 0; i < 8; i++) calls.push(await callIn(api, customerId));

    const answers = await Promise.all(
      calls.map((callId) =>
        api.request('POST', '/v1/conferencecalls', {
          key,
          body: { conference_id: conferenceId, reference_type: 'call', reference_id: callId },
        }),
      ),
    );

    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 409, 409, 409, 409, 409, 409]);
    const admitted = answers.filter((a) => a.status === 201).map((a) => a.body.id as string);
    const listed = await api.request('GET', `/v1/conferencecalls?conference_id=${conferenceId}`, { key });
    expect(listed.body.result.map((p: { id: string }) => p.id).sort()).toEqual(admitted.sort());
    const all = await api.request('GET', '/v1/conferencecalls?page_size=100', { key });
    expect(all.body.result).toHaveLength(2);
    const shown = await api.request('GET', `/v1/conferences/${conferenceId}`, { key });
    expect(shown.body.participant_count).toBe(2);
  });
});
