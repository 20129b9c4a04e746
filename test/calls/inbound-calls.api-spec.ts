import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { TimerWorker } from '../../src/timers/timer-worker';
import { TIMERS_PROJECTION } from '../../src/timers/timers.projection';
import { eventually } from '../conferences/conference-api-helpers';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

/**
 * Incoming calls with an external media layer driven by hand (`media` key): the call to a registered
 * number rings the application, which answers, rejects (busy) or lets it ring out (noanswer, a durable
 * timer under a fixed clock).
 */
describe('incoming calls (external media layer)', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let mediaKey: string;
  let otherKey: string;
  let otherMediaKey: string;
  let numberId: string;
  const NUMBER = '+31850835037';
  const OTHERS_NUMBER = '+31850835099';

  const mediaKeyOf = async (customerId: string): Promise<string> =>
    (await api.request('POST', `/v1/customers/${customerId}/keys`, { body: { role: 'media' } })).body.key;

  beforeAll(async () => {
    clock = new FixedClock('2026-04-01T12:00:00.000Z');
    api = await TestApp.start({ clock, ids: new SequentialIds(), config: { mediaGatewayMode: 'external' } });
    const customer = await api.createCustomer('Acme');
    key = customer.key;
    mediaKey = await mediaKeyOf(customer.customerId);
    const other = await api.createCustomer('Other');
    otherKey = other.key;
    otherMediaKey = await mediaKeyOf(other.customerId);
    numberId = (
      await api.request('POST', '/v1/numbers', { key, body: { phone_number: NUMBER, ring_timeout: 20 } })
    ).body.id;
    await api.request('POST', '/v1/numbers', { key: otherKey, body: { phone_number: OTHERS_NUMBER } });
  });
  afterAll(() => api.close());

  const inbound = (body: object, as = mediaKey) =>
    api.request('POST', '/v1/calls/inbound', { key: as, body });
  const ring = async () => (await inbound({ number: NUMBER, from: '+821021656521' })).body;
  const answer = (id: string, as = key) => api.request('POST', `/v1/calls/${id}/answer`, { key: as });
  const signal = (id: string, body: object) =>
    api.request('POST', `/v1/calls/${id}/signals`, { key: mediaKey, body });
  const fireDueNow = async () => {
    const head = await api.app.get<EventStore>(EVENT_STORE).headPosition();
    if (head !== null)
      await api.app.get(ProjectionEngine).waitForPosition(head, { projections: [TIMERS_PROJECTION] });
    await api.app.get(TimerWorker).fireDue();
  };

  it('rings the number’s owner with an incoming call that names the number', async () => {
    const response = await inbound({ number: '+31 85 083 5037', from: '+821021656521' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/v1/calls/${response.body.id}`);
    expect(response.body).toMatchObject({
      direction: 'incoming',
      status: 'ringing',
      phone_id: numberId,
      number_id: numberId,
      source: { type: 'tel', target: '+821021656521' },
      destination: { type: 'tel', target: NUMBER },
      dial_timeout: 20,
      tm_ringing: '2026-04-01T12:00:00.000Z',
    });
    const seen = await api.request('GET', `/v1/calls/${response.body.id}`, { key });
    expect(seen.body).toEqual(response.body);
    const listed = await api.request('GET', '/v1/calls?direction=incoming', { key });
    expect(listed.body.result.map((call: { id: string }) => call.id)).toContain(response.body.id);
  });

  it('answers once; answering again returns the call unchanged', async () => {
    const call = await ring();
    clock.advance(3000);
    const answered = await answer(call.id);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      status: 'progressing',
      tm_progressing: '2026-04-01T12:00:03.000Z',
    });
    const again = await answer(call.id);
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(answered.body.revision);
    const trail = await api.request('GET', `/v1/calls/${call.id}/events`, { key });
    expect(trail.body.result.map((event: { type: string }) => event.type)).toEqual([
      'CallCreated',
      'CallRinging',
      'CallAnswered',
    ]);
  });

  it('rejects: a hangup while ringing ends the call busy once the media layer confirms', async () => {
    const call = await ring();
    const rejected = await api.request('POST', `/v1/calls/${call.id}/hangup`, { key });
    expect(rejected.body).toMatchObject({ status: 'canceling', hangup_reason: 'busy', hangup_by: 'local' });
    const done = await signal(call.id, { signal_id: `${call.id}/hangup`, signal: 'hangup' });
    expect(done.body).toMatchObject({
      status: 'hangup',
      hangup_reason: 'busy',
      hangup_by: 'local',
      duration: 0,
    });
    expect((await answer(call.id)).status).toBe(409);
  });

  it('rings out with noanswer after the number’s ring timeout (a durable timer)', async () => {
    clock.set('2026-04-01T13:00:00.000Z');
    const call = await ring();
    clock.advance(19_000);
    await fireDueNow();
    expect((await api.request('GET', `/v1/calls/${call.id}`, { key })).body.status).toBe('ringing');
    clock.advance(1_000);
    await eventually(async () => {
      await api.app.get(TimerWorker).fireDue();
      expect((await api.request('GET', `/v1/calls/${call.id}`, { key })).body).toMatchObject({
        status: 'canceling',
        hangup_reason: 'noanswer',
      });
    });
  });

  it('lets the media layer retry a report with its own call id', async () => {
    const body = {
      number: NUMBER,
      from: 'sip:alice@example.com',
      call_id: '0190a5e2-7c1a-7000-8000-00000000cafe',
    };
    const first = await inbound(body);
    const retry = await inbound(body);
    expect(first.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(first.body.source).toMatchObject({ type: 'sip', target: 'sip:alice@example.com' });
    expect((await inbound({ ...body, from: '+4930123456' })).status).toBe(409);
  });

  it('answers 404 for a number nobody holds, another tenant’s, or a released one, all alike', async () => {
    const released = (
      await api.request('POST', '/v1/numbers', { key, body: { phone_number: '+31850835088' } })
    ).body;
    await api.request('DELETE', `/v1/numbers/${released.id}`, { key });
    const answers = [
      await inbound({ number: '+31850835000', from: '+1555' }),
      await inbound({ number: OTHERS_NUMBER, from: '+1555' }),
      await inbound({ number: '+31850835088', from: '+1555' }),
    ];
    for (const response of answers) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('number.not_found');
    }
    const strip = ({ instance: _i, ...rest }: Record<string, unknown>) => rest;
    expect(strip(answers[1].body)).toEqual(strip(answers[0].body));
    // The other tenant's own media layer does reach it.
    expect((await inbound({ number: OTHERS_NUMBER, from: '+1555' }, otherMediaKey)).status).toBe(201);
  });

  it.each([
    ['no number', { from: '+1555' }],
    ['number not E.164', { number: '0850835037', from: '+1555' }],
    ['no from', { number: NUMBER }],
    ['from with spaces', { number: NUMBER, from: 'a b' }],
    ['call_id not a uuid', { number: NUMBER, from: '+1555', call_id: 'x' }],
  ])('refuses bad input (%s) with a 400 problem', async (_name, body) => {
    const response = await inbound(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('keeps roles apart: users do not report calls, media layers do not answer them', async () => {
    const call = await ring();
    expect((await inbound({ number: NUMBER, from: '+1555' }, key)).status).toBe(403);
    expect((await answer(call.id, mediaKey)).status).toBe(403);
    expect((await answer('not-a-uuid')).status).toBe(400);
  });

  it('answers another tenant’s call like an unknown one, and refuses to answer an outgoing call', async () => {
    const call = await ring();
    const foreign = await answer(call.id, otherKey);
    const unknown = await answer('00000000-0000-7000-8000-00000000dead', otherKey);
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body.code).toBe(unknown.body.code);
    expect(JSON.stringify(foreign.body)).not.toContain('ringing');
    const outgoing = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'jj084' } });
    const refused = await answer(outgoing.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('call.not_inbound');
  });

  it('has no simulator in external mode', async () => {
    const response = await api.request('POST', '/v1/simulator/inbound-calls', {
      key,
      body: { number: NUMBER, from: '+1555' },
    });
    expect(response.status).toBe(404);
  });
});
