import { eventually } from '../conferences/conference-api-helpers';
import { TestApp } from '../support/test-app';

/**
 * Incoming calls in simulated mode: `POST /v1/simulator/inbound-calls` places them, the built-in gateway
 * confirms hangups, and `answer` / `join_conference` numbers are routed by the server itself.
 */
describe('incoming calls (simulated mode)', () => {
  let api: TestApp;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    api = await TestApp.start({ config: { simRingDelayMs: 0, simAnswerDelayMs: 0 } });
    key = (await api.createCustomer('Acme')).key;
    otherKey = (await api.createCustomer('Other')).key;
  });
  afterAll(() => api.close());

  let next = 10;
  const number = async (body: object = {}) => {
    const phone_number = `+3185084${String(next++).padStart(4, '0')}`;
    const response = await api.request('POST', '/v1/numbers', { key, body: { phone_number, ...body } });
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    return response.body;
  };
  const place = (phone: string, from = '+821021656521', as = key) =>
    api.request('POST', '/v1/simulator/inbound-calls', { key: as, body: { number: phone, from } });
  const call = async (id: string) => (await api.request('GET', `/v1/calls/${id}`, { key })).body;

  it('places a ringing call to a ring number; answer then hangup ends it normally', async () => {
    const desk = await number();
    const placed = await place(desk.phone_number);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ direction: 'incoming', status: 'ringing', number_id: desk.id });
    const answered = await api.request('POST', `/v1/calls/${placed.body.id}/answer`, { key });
    expect(answered.body.status).toBe('progressing');
    await api.request('POST', `/v1/calls/${placed.body.id}/hangup`, { key });
    await eventually(async () =>
      expect(await call(placed.body.id)).toMatchObject({ status: 'hangup', hangup_reason: 'normal' }),
    );
  });

  it('a rejected call ends busy once the simulated gateway confirms', async () => {
    const placed = (await place((await number()).phone_number)).body;
    await api.request('POST', `/v1/calls/${placed.id}/hangup`, { key });
    await eventually(async () =>
      expect(await call(placed.id)).toMatchObject({
        status: 'hangup',
        hangup_reason: 'busy',
        hangup_by: 'local',
      }),
    );
  });

  it('an answer number is answered by the server, its actions kept on the number', async () => {
    const actions = [{ type: 'talk', option: { text: 'Welcome', language: 'en-US' } }];
    const auto = await number({ on_incoming: 'answer', actions });
    expect(auto.actions).toEqual(actions);
    const placed = (await place(auto.phone_number)).body;
    await eventually(async () => expect((await call(placed.id)).status).toBe('progressing'));
  });

  it('a join_conference number answers and joins the conference', async () => {
    const conference = (await api.request('POST', '/v1/conferences', { key, body: { type: 'conference' } }))
      .body;
    const bridge = await number({ on_incoming: 'join_conference', conference_id: conference.id });
    const placed = (await place(bridge.phone_number)).body;
    await eventually(async () =>
      expect(await call(placed.id)).toMatchObject({ status: 'progressing', conference_id: conference.id }),
    );
    await eventually(async () => {
      const participants = await api.request('GET', `/v1/conferencecalls?conference_id=${conference.id}`, {
        key,
      });
      expect(participants.body.result).toContainEqual(
        expect.objectContaining({ reference_id: placed.id, status: 'joined' }),
      );
    });
  });

  it('hangs up a join_conference call whose conference ended meanwhile', async () => {
    const conference = (await api.request('POST', '/v1/conferences', { key, body: { type: 'conference' } }))
      .body;
    const bridge = await number({ on_incoming: 'join_conference', conference_id: conference.id });
    await api.request('POST', `/v1/conferences/${conference.id}/stop`, { key });
    await eventually(async () =>
      expect((await api.request('GET', `/v1/conferences/${conference.id}`, { key })).body.status).toBe(
        'terminated',
      ),
    );
    const placed = (await place(bridge.phone_number)).body;
    await eventually(async () => expect((await call(placed.id)).status).toBe('hangup'));
  });

  it('the magic caller +15005552SSS hangs up SSS seconds later: a remote cancel while ringing', async () => {
    const placed = (await place((await number()).phone_number, '+15005552001')).body;
    expect(placed.status).toBe('ringing');
    await eventually(
      async () =>
        expect(await call(placed.id)).toMatchObject({
          status: 'hangup',
          hangup_by: 'remote',
          hangup_reason: 'cancel',
        }),
      5000,
    );
  });

  it('the magic caller hanging up after the answer ends the call normally, from the remote side', async () => {
    const placed = (await place((await number()).phone_number, '+15005552001')).body;
    await api.request('POST', `/v1/calls/${placed.id}/answer`, { key });
    await eventually(
      async () =>
        expect(await call(placed.id)).toMatchObject({
          status: 'hangup',
          hangup_by: 'remote',
          hangup_reason: 'normal',
        }),
      5000,
    );
  });

  it('answers 404 for a number that is not the caller’s, and 400 for bad input', async () => {
    const mine = await number();
    expect((await place(mine.phone_number, '+1555', otherKey)).status).toBe(404);
    expect((await place('+31850849999')).status).toBe(404);
    expect((await place('not a number')).status).toBe(400);
  });
});
