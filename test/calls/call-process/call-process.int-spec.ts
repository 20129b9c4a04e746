import { MAGIC_DESTINATIONS } from '../../../src/calls/media-gateway/simulated-script';
import { ReactorEngine } from '../../../src/reactors/reactor-engine';
import { TimerWorker } from '../../../src/timers/timer-worker';
import { FixedClock } from '../../support/fixed-clock';
import { TestApp } from '../../support/test-app';
import { CallsClient, tel } from './call-process-helpers';

/**
 * The whole app with the built-in simulated media gateway (zero ring and answer delays): calls are dialled
 * by the call-media reactor, progress through the gateway's signals, and end by timers under a fixed clock.
 */
describe('call process through the app', () => {
  let api: TestApp;
  let clock: FixedClock;
  let calls: CallsClient;

  beforeAll(async () => {
    clock = new FixedClock('2026-03-01T10:00:00.000Z');
    api = await TestApp.start({ clock, config: { simRingDelayMs: 0, simAnswerDelayMs: 0 } });
    calls = new CallsClient(api, (await api.createCustomer()).key);
  });
  afterAll(() => api.close());

  const fireTimers = () => api.app.get(TimerWorker).fireDue();

  it('dials a made call: it rings and is answered, through signals reported as media:simulated', async () => {
    const { id } = await calls.make({ destination: tel('+4930123456') });
    await calls.waitForStatus(id, 'progressing');
    const events = await calls.events(id);
    expect(events.map((event) => event.type)).toEqual(['CallCreated', 'CallRinging', 'CallAnswered']);
    expect(events[1]).toMatchObject({
      data: { signalId: `sim-${id}-1` },
      actor: 'media:simulated',
      causation_id: `sim-${id}-1`,
    });
    expect(events[2].data.signalId).toBe(`sim-${id}-2`);
  });

  it('ends a call to the busy number as busy, by the remote end', async () => {
    const { id } = await calls.make({ destination: tel(MAGIC_DESTINATIONS.busy) });
    const call = await calls.waitForStatus(id, 'hangup');
    expect(call).toMatchObject({ hangup_by: 'remote', hangup_reason: 'busy' });
  });

  it('ends a call nobody answers with dialout once the clock passes 60 s and the timer fires', async () => {
    const { id } = await calls.make({ destination: tel(MAGIC_DESTINATIONS.ringForever) });
    await calls.waitForStatus(id, 'ringing');
    clock.advance(59_000);
    await fireTimers();
    expect((await calls.get(id)).status).toBe('ringing');

    clock.advance(1_000);
    await fireTimers();
    // The timer asked for the hangup; the gateway confirms it and the call ends.
    const call = await calls.waitForStatus(id, 'hangup');
    expect(call).toMatchObject({ hangup_by: 'local', hangup_reason: 'dialout' });
    const requested = (await calls.events(id)).find((event) => event.type === 'CallHangupRequested')!;
    expect(requested).toMatchObject({ actor: 'system:timer' });
    expect(requested.causation_id).toMatch(/^timer:call-.*:dial_timeout:/);
  });

  it('ends an answered call with timeout after the maximum duration', async () => {
    const { id } = await calls.make({ destination: tel('+4930123457') });
    await calls.waitForStatus(id, 'progressing');
    clock.advance(3_600_000);
    await fireTimers();
    const call = await calls.waitForStatus(id, 'hangup');
    expect(call).toMatchObject({ hangup_by: 'local', hangup_reason: 'timeout' });
  });

  it('hangs up the chained calls when their master hangs up', async () => {
    const master = await calls.make({ destination: tel('+4930100001') });
    await calls.waitForStatus(master.id, 'progressing');
    const chained = await calls.make({ destination: tel('+4930100002'), master_call_id: master.id });
    await calls.waitForStatus(chained.id, 'progressing');

    expect(await calls.hangup(master.id)).toBe(200);
    expect(await calls.waitForStatus(master.id, 'hangup')).toMatchObject({ hangup_reason: 'normal' });
    expect(await calls.waitForStatus(chained.id, 'hangup')).toMatchObject({
      hangup_by: 'local',
      hangup_reason: 'normal',
    });
    const masterHungUp = (await calls.events(master.id)).find((event) => event.type === 'CallHungUp')!;
    const requested = (await calls.events(chained.id)).find((event) => event.type === 'CallHangupRequested')!;
    // One event view for every audit trail: metadata fields are flat, the tenant is the caller's own.
    expect(requested).toMatchObject({
      actor: 'system:chained-hangup',
      causation_id: masterHungUp.event_id,
      correlation_id: masterHungUp.correlation_id,
    });
  });

  it('runs the call-media and chained-calls reactors', () => {
    const names = api.app
      .get(ReactorEngine)
      .status()
      .map((status) => status.name);
    expect(names).toEqual(expect.arrayContaining(['call-media', 'chained-calls']));
  });
});

describe('call process with MEDIA_GATEWAY_MODE=external', () => {
  it('dials nothing: the call waits for an external media layer', async () => {
    const api = await TestApp.start({ config: { mediaGatewayMode: 'external', simRingDelayMs: 0 } });
    try {
      const calls = new CallsClient(api, (await api.createCustomer()).key);
      const { id } = await calls.make({ destination: tel('+4930123456') });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await calls.types(id)).toEqual(['CallCreated']);
      const names = api.app
        .get(ReactorEngine)
        .status()
        .map((status) => status.name);
      expect(names).not.toContain('call-media');
      expect(names).toContain('chained-calls');
    } finally {
      await api.close();
    }
  });
});
