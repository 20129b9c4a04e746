import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { TimerWorker } from '../../src/timers/timer-worker';
import { TIMERS_PROJECTION } from '../../src/timers/timers.projection';
import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { callIn, createConference, eventually, join } from './conference-api-helpers';

/**
 * Durable timers through the app: the conference timeout, and the participant safety nets. The clock is
 * fixed and moved by hand; `fireDue()` is the worker's own pass, run now instead of at its next wake-up.
 */
describe('conference timers', () => {
  let api: TestApp;
  let clock: FixedClock;
  let key: string;
  let customerId: string;

  beforeAll(async () => {
    clock = new FixedClock('2026-02-03T06:00:00.000Z');
    api = await TestApp.start({ clock, config: { mediaGatewayMode: 'external' } });
    ({ key, customerId } = await api.createCustomer('Acme'));
  });
  afterAll(() => api.close());

  const conference = async (id: string) => (await api.request('GET', `/v1/conferences/${id}`, { key })).body;
  const participant = async (id: string) =>
    (await api.request('GET', `/v1/conferencecalls/${id}`, { key })).body;
  /** The worker's pass once the timers projection has seen every event: a "not yet" that means something. */
  const fireDueNow = async () => {
    const head = await api.app.get<EventStore>(EVENT_STORE).headPosition();
    if (head !== null)
      await api.app.get(ProjectionEngine).waitForPosition(head, { projections: [TIMERS_PROJECTION] });
    await api.app.get(TimerWorker).fireDue();
  };
  /** Fires what is due until the assertion holds (the timers projection may still be catching up). */
  const afterTimers = (assertion: () => Promise<void>) =>
    eventually(async () => {
      await api.app.get(TimerWorker).fireDue();
      await assertion();
    });

  it('ends a conference when its timeout is due, with end_reason timeout', async () => {
    const id = await createConference(api, key, { type: 'conference', timeout: 30 });
    clock.advance(29_000);
    await fireDueNow();
    expect((await conference(id)).status).toBe('progressing');
    clock.advance(1_000);
    await afterTimers(async () =>
      expect(await conference(id)).toMatchObject({ status: 'terminated', end_reason: 'timeout' }),
    );
  });

  it('moves the timeout on PUT (counted from creation) and cancels it with 0', async () => {
    const moved = await createConference(api, key, { type: 'conference', timeout: 30 });
    const cancelled = await createConference(api, key, { type: 'conference', timeout: 30 });
    await api.request('PUT', `/v1/conferences/${moved}`, { key, body: { timeout: 120 } });
    await api.request('PUT', `/v1/conferences/${cancelled}`, { key, body: { timeout: 0 } });
    clock.advance(60_000);
    await fireDueNow();
    expect((await conference(moved)).status).toBe('progressing');
    expect((await conference(cancelled)).status).toBe('progressing');
    clock.advance(60_000);
    await afterTimers(async () => expect((await conference(moved)).status).toBe('terminated'));
    expect((await conference(cancelled)).status).toBe('progressing');
  });

  it('a participant the media layer never confirms is kicked, then left: no slot or call held forever', async () => {
    const conferenceId = await createConference(api, key);
    const callId = await callIn(api, customerId);
    const joining = await join(api, key, conferenceId, callId);
    expect(joining.body.status).toBe('joining');

    clock.advance(60_000); // join timeout
    await afterTimers(async () => expect((await participant(joining.body.id)).status).toBe('leaving'));
    clock.advance(30_000); // leave confirmation
    await afterTimers(async () => {
      expect((await participant(joining.body.id)).status).toBe('leaved');
      expect((await conference(conferenceId)).participant_count).toBe(0);
    });
    // The call is free again.
    expect((await join(api, key, conferenceId, callId)).status).toBe(201);
  });

  it('a timed-out conference with participants kicks them and ends when the last has gone', async () => {
    const conferenceId = await createConference(api, key, { type: 'conference', timeout: 10 });
    const joining = await join(api, key, conferenceId, await callIn(api, customerId));
    await api.request('POST', `/v1/conferencecalls/${joining.body.id}/signals`, {
      key: (await mediaKey()).key,
      body: { signal_id: 'j1', signal: 'joined' },
    });
    clock.advance(10_000);
    await afterTimers(async () =>
      expect(await conference(conferenceId)).toMatchObject({ status: 'terminating', end_reason: 'timeout' }),
    );
    await eventually(async () => expect((await participant(joining.body.id)).status).toBe('leaving'));
    clock.advance(30_000); // nobody confirms the leave: the safety net records it
    await afterTimers(async () =>
      expect(await conference(conferenceId)).toMatchObject({ status: 'terminated', participant_count: 0 }),
    );
  });

  async function mediaKey(): Promise<{ key: string }> {
    const media = await api.request('POST', `/v1/customers/${customerId}/keys`, { body: { role: 'media' } });
    return { key: media.body.key };
  }
});
