import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store';
import { StoreUnavailable } from '../../src/event-store/event-store.errors';
import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

/**
 * An append whose answer is lost (EventStoreDB committed it, the adapter gave up waiting: a 503) has an
 * unknown outcome, like a kill -9 after the commit. A retry with the same Idempotency-Key and body must
 * find what the first attempt committed, not create a second resource; a corrected body is a new request.
 */
describe('Idempotency-Key after a 503 whose write was committed', () => {
  const clock = new FixedClock('2026-04-05T06:00:00.000Z');
  let api: TestApp;
  let key: string;
  /** The event type whose next append commits and then answers 503 (reactions append other types). */
  let loseAnswerOf: string | null = null;

  beforeAll(async () => {
    api = await TestApp.start({ clock });
    ({ key } = await api.createCustomer('Unknown outcome'));
    const store = api.app.get<EventStore>(EVENT_STORE);
    const append = store.appendToStream.bind(store);
    store.appendToStream = async (...args) => {
      const result = await append(...args);
      if (!args[1].some((event) => event.type === loseAnswerOf)) return result;
      loseAnswerOf = null;
      throw new StoreUnavailable('no answer from EventStoreDB in 1500 ms');
    };
  });
  afterAll(() => api.close());

  const post = (path: string, body: object, idempotencyKey: string) =>
    api.request('POST', path, { key, body, headers: { 'idempotency-key': idempotencyKey } });
  const list = async (contactId: string) =>
    (await api.request('GET', `/v1/calls?contact_id=${contactId}`, { key })).body.result as { id: string }[];

  it('answers the committed call on the retry, at once, and creates nothing twice', async () => {
    loseAnswerOf = 'CallCreated';
    const first = await post('/v1/calls', { contact_id: 'lost-answer', type: 'voice' }, 'k-lost');
    expect(first.status).toBe(503);
    clock.advance(5_000); // the retry comes later: a new first-seen time would name another call

    const retry = await post('/v1/calls', { contact_id: 'lost-answer', type: 'voice' }, 'k-lost');
    expect(retry.status).toBe(201);
    const calls = await list('lost-answer');
    expect(calls.map((call) => call.id)).toEqual([retry.body.id]);
    expect(retry.headers.get('location')).toBe(`/v1/calls/${retry.body.id}`);

    const replay = await post('/v1/calls', { contact_id: 'lost-answer', type: 'voice' }, 'k-lost');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(retry.body.id);
  });

  it('does the same for a conference (its decider refuses the taken id; the retry answers it)', async () => {
    loseAnswerOf = 'ConferenceCreated';
    const first = await post('/v1/conferences', { type: 'conference', name: 'lost' }, 'k-conf');
    expect(first.status).toBe(503);
    clock.advance(5_000);
    const retry = await post('/v1/conferences', { type: 'conference', name: 'lost' }, 'k-conf');
    expect(retry.status).toBe(201);
    const all = (await api.request('GET', '/v1/conferences', { key })).body.result as { name: string }[];
    expect(all.filter((conference) => conference.name === 'lost')).toHaveLength(1);
  });

  it('still lets a corrected request reuse the key after a 503', async () => {
    loseAnswerOf = 'CallCreated';
    expect((await post('/v1/calls', { contact_id: 'typo', type: 'voice' }, 'k-fix')).status).toBe(503);
    const corrected = await post('/v1/calls', { contact_id: 'fixed', type: 'voice' }, 'k-fix');
    expect(corrected.status).toBe(201);
    expect((await list('fixed')).map((call) => call.id)).toEqual([corrected.body.id]);
  });
});
