import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callDecider } from '../../src/calls/call.decider';
import { callStreamId } from '../../src/calls/call-stream';
import { conferenceDecider } from '../../src/conferences/conference.decider';
import { conferenceStreamId } from '../../src/conferences/conference-stream';
import type { TimerSource } from '../../src/timers/timer-source';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { conferenceTimerSource, TimerHarness, USER } from './timer-harness';

const CALL = '00000000-0000-7000-8000-0000000000aa';
const CONFERENCE = '00000000-0000-7000-8000-0000000000cc';
const T0 = '2026-01-01T00:00:00.000Z';

describe('Durable timers (timers projection + worker)', () => {
  let dir: string;
  let clock: FixedClock;
  let ids: SequentialIds;
  const open: TimerHarness[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'timers-'));
    clock = new FixedClock(T0);
    ids = new SequentialIds();
  });

  afterEach(async () => {
    for (const harness of open.splice(0)) await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const boot = (sources?: TimerSource[]) => {
    const harness = new TimerHarness(dir, clock, ids, sources);
    open.push(harness);
    harness.start();
    return harness;
  };

  const shutDown = async (harness: TimerHarness) => {
    open.splice(open.indexOf(harness), 1);
    await harness.close();
  };

  const makeCall = (harness: TimerHarness) =>
    harness.executor.execute({
      decider: callDecider,
      streamId: callStreamId(CALL),
      command: {
        type: 'MakeCall',
        data: {
          callId: CALL,
          customerId: USER.customerId,
          at: clock.now().toISOString(),
          contactId: 'jj084',
        },
      },
      metadata: USER,
    });

  const signal = (harness: TimerHarness, signal: 'ringing' | 'answered' | 'hangup', n: number) =>
    harness.executor.execute({
      decider: callDecider,
      streamId: callStreamId(CALL),
      command: {
        type: 'ReportSignal',
        data: {
          callId: CALL,
          customerId: USER.customerId,
          signalId: `s${n}`,
          signal,
          cause: null,
          at: clock.now().toISOString(),
        },
      },
      metadata: USER,
    });

  const types = async (harness: TimerHarness, streamId = callStreamId(CALL)) =>
    (await harness.events(streamId)).map((event) => event.type);

  /**
   * Resolves once the call's stream holds a fired timer's command (bounded: fails after 5 s). For firings
   * the worker starts on its own: a fixed sleep races them on a loaded machine.
   */
  const firstFiring = async (harness: TimerHarness) => {
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      if ((await types(harness)).includes('CallHangupRequested')) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('no timer fired within 5 s');
  };

  it('fires the dial timeout once the clock passes 60 s, continuing the call correlation as system:timer', async () => {
    const harness = boot();
    await makeCall(harness);
    await harness.settle();
    expect(harness.timers.ofStream(callStreamId(CALL))).toEqual([
      { kind: 'dial_timeout', dueAt: '2026-01-01T00:01:00.000Z' },
    ]);

    clock.advance(59_999);
    expect(await harness.worker.fireDue()).toBe(0);
    clock.advance(1);
    expect(await harness.worker.fireDue()).toBe(1);

    const [, requested] = await harness.events(callStreamId(CALL));
    expect(requested).toMatchObject({
      type: 'CallHangupRequested',
      data: { status: 'canceling', hangupReason: 'dialout' },
      metadata: {
        correlation_id: 'request-1',
        causation_id: `timer:call-${CALL}:dial_timeout:2026-01-01T00:01:00.000Z`,
        customer_id: 'customer-a',
        actor: 'system:timer',
      },
    });
    // The state change replaced the timer: now waiting for the gateway's confirmation.
    await harness.settle();
    expect(harness.timers.ofStream(callStreamId(CALL))).toEqual([
      { kind: 'hangup_confirmation', dueAt: '2026-01-01T00:01:30.000Z' },
    ]);
  });

  it('stops between firings: a long pass over overdue timers does not hold shutdown', async () => {
    const harness = boot();
    const calls = Array.from(
      { length: 30 },
      (_, i) => `00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
    );
    for (const callId of calls) {
      await harness.executor.execute({
        decider: callDecider,
        streamId: callStreamId(callId),
        command: {
          type: 'MakeCall',
          data: { callId, customerId: USER.customerId, at: clock.now().toISOString(), contactId: 'x' },
        },
        metadata: USER,
      });
    }
    await harness.settle();
    clock.advance(60_000);
    const pass = harness.worker.fireDue();
    await harness.worker.stop();
    const fired = await pass;
    expect(fired).toBeGreaterThan(0);
    expect(fired).toBeLessThan(calls.length);
  });

  it('re-arms its wake-up for the earliest due time when the timers projection commits', async () => {
    const harness = boot();
    await makeCall(harness);
    await harness.settle();
    await new Promise((resolve) => setImmediate(resolve)); // the re-arm runs after the commit
    expect(harness.scheduler.pending()).toEqual([60_000]);

    // The wake-up itself fires the timer: no manual fireDue.
    clock.advance(60_000);
    harness.scheduler.advance(60_000);
    await firstFiring(harness);
    expect(await types(harness)).toEqual(['CallCreated', 'CallHangupRequested']);
  });

  it('is cancelled by the state change that makes it moot: answered calls never hit the dial timeout', async () => {
    const harness = boot();
    await makeCall(harness);
    clock.advance(2_000);
    await signal(harness, 'answered', 1);
    await harness.settle();
    expect(harness.timers.ofStream(callStreamId(CALL))).toEqual([
      { kind: 'max_duration', dueAt: '2026-01-01T01:00:02.000Z' },
    ]);

    clock.advance(120_000);
    expect(await harness.worker.fireDue()).toBe(0);
    await signal(harness, 'hangup', 2);
    await harness.settle();
    expect(harness.timers.ofStream(callStreamId(CALL))).toEqual([]);
    clock.advance(10 * 3_600_000);
    expect(await harness.worker.fireDue()).toBe(0);
    expect(await types(harness)).toEqual(['CallCreated', 'CallAnswered', 'CallHungUp']);
  });

  it('fires the max duration (timeout) an hour after the answer', async () => {
    const harness = boot();
    await makeCall(harness);
    await signal(harness, 'answered', 1);
    await harness.settle();
    clock.advance(3_600_000);
    expect(await harness.worker.fireDue()).toBe(1);
    const events = await harness.events(callStreamId(CALL));
    expect(events.at(-1)).toMatchObject({
      type: 'CallHangupRequested',
      data: { status: 'terminating', hangupReason: 'timeout' },
    });
  });

  it('fires a timer that fell due while the process was down, after the restart, and only once', async () => {
    const first = boot();
    await makeCall(first);
    await first.settle();
    await shutDown(first);

    clock.advance(61_000);
    const second = boot();
    await second.settle();
    // The start-up wake-up (delay 0) fires what fell due during the downtime.
    second.scheduler.advance(0);
    // Wait for that pass to commit (a fixed sleep raced it on a loaded machine: a fireDue() called while the
    // pass still runs shares it and reports its firing), then a later pass must find nothing left to fire.
    await firstFiring(second);
    expect(await second.worker.fireDue()).toBe(0);
    expect(await types(second)).toEqual(['CallCreated', 'CallHangupRequested']);
    await shutDown(second);

    // A third process, before its projection has caught up (the old row is still listed): not fired again.
    const third = new TimerHarness(dir, clock, ids);
    open.push(third);
    third.worker.start();
    expect(await third.worker.fireDue()).toBe(0);
  });

  it('fires once even while the projection still lists the timer (firings are recorded apart)', async () => {
    const harness = boot();
    await makeCall(harness);
    await harness.settle();
    await harness.engine.stop(); // the fired timer stays listed
    clock.advance(60_000);
    expect(await harness.worker.fireDue()).toBe(1);
    expect(await harness.worker.fireDue()).toBe(0);
    expect(await types(harness)).toEqual(['CallCreated', 'CallHangupRequested']);
  });

  it('forgets firings after a week; firing such a stale timer again is a harmless no-op', async () => {
    const harness = boot();
    await makeCall(harness);
    await harness.settle();
    await harness.engine.stop(); // the fired timer stays listed
    clock.advance(60_000);
    expect(await harness.worker.fireDue()).toBe(1);

    clock.advance(8 * 24 * 3_600_000);
    // Pruned, so it fires again: the decider sees a call already being cancelled and decides nothing.
    expect(await harness.worker.fireDue()).toBe(1);
    expect(await types(harness)).toEqual(['CallCreated', 'CallHangupRequested']);
  });

  it('replaces a conference timeout when it is updated, and cancels it when the conference stops', async () => {
    const harness = boot([conferenceTimerSource]);
    const streamId = conferenceStreamId(CONFERENCE);
    const run = (command: Parameters<typeof conferenceDecider.decide>[0]) =>
      harness.executor.execute({ decider: conferenceDecider, streamId, command, metadata: USER });
    const ref = () => ({
      conferenceId: CONFERENCE,
      customerId: USER.customerId,
      at: clock.now().toISOString(),
    });

    await run({ type: 'CreateConference', data: { ...ref(), conferenceType: 'conference', timeout: 60 } });
    await run({ type: 'UpdateConference', data: { ...ref(), timeout: 120 } });
    await harness.settle();
    expect(harness.timers.ofStream(streamId)).toEqual([
      { kind: 'conference_timeout', dueAt: '2026-01-01T00:02:00.000Z' },
    ]);

    clock.advance(61_000);
    expect(await harness.worker.fireDue()).toBe(0); // the old due time is gone, not fired
    clock.advance(60_000);
    expect(await harness.worker.fireDue()).toBe(1);
    expect(await types(harness, streamId)).toEqual([
      'ConferenceCreated',
      'ConferenceUpdated',
      'ConferenceTerminated', // empty: terminated at once
    ]);
    await harness.settle();
    expect(harness.timers.ofStream(streamId)).toEqual([]);
  });

  it('drops a conference timeout when the conference is stopped before it falls due', async () => {
    const harness = boot([conferenceTimerSource]);
    const streamId = conferenceStreamId(CONFERENCE);
    const ref = () => ({
      conferenceId: CONFERENCE,
      customerId: USER.customerId,
      at: clock.now().toISOString(),
    });
    await harness.executor.execute({
      decider: conferenceDecider,
      streamId,
      command: { type: 'CreateConference', data: { ...ref(), conferenceType: 'conference', timeout: 60 } },
      metadata: USER,
    });
    await harness.executor.execute({
      decider: conferenceDecider,
      streamId,
      command: { type: 'StopConference', data: ref() },
      metadata: USER,
    });
    await harness.settle();
    expect(harness.timers.ofStream(streamId)).toEqual([]);
    clock.advance(3_600_000);
    expect(await harness.worker.fireDue()).toBe(0);
  });

  it('retries a firing that failed for a transient reason, after a backoff', async () => {
    let failures = 1;
    const { callTimerSource } = await import('../../src/calls/call-process/call-timer-source');
    const flaky: TimerSource = {
      ...callTimerSource,
      command: (timer, state, at) => {
        if (failures-- > 0) throw new Error('store unavailable');
        return callTimerSource.command(timer, state, at);
      },
    };
    const harness = boot([flaky]);
    await makeCall(harness);
    await harness.settle();
    clock.advance(60_000);
    expect(await harness.worker.fireDue()).toBe(0);
    expect(harness.logger.errors[0]).toContain('store unavailable');
    expect(await harness.worker.fireDue()).toBe(0); // still backing off (1 s)
    clock.advance(1_000);
    expect(await harness.worker.fireDue()).toBe(1);
    expect(await types(harness)).toEqual(['CallCreated', 'CallHangupRequested']);
  });
});
