import type { CallEvent } from '../../src/calls/call';
import { callDecider, timerCommand } from '../../src/calls/call.decider';
import { dueTimers, HANGUP_CONFIRMATION_TIMEOUT_SEC } from '../../src/calls/call-timers';
import { fold } from '../../src/domain/decider';
import { spec } from '../support/decider-spec';
import {
  answered,
  CALL_ID,
  CUSTOMER,
  created,
  expire,
  hangupRequested,
  historyIn,
  hungUp,
  rang,
  signal,
  T_END,
  T_HANGUP_REQ,
} from './call-fixtures';

const timersOf = (history: CallEvent[]) => dueTimers(fold(callDecider, history));

describe('dueTimers: timers are derived from state, one per waiting status', () => {
  it('a call still dialing or ringing waits for its dial timeout, counted from creation', () => {
    expect(timersOf(historyIn.dialing)).toEqual([
      { kind: 'dial_timeout', dueAt: '2026-01-01T00:01:00.000Z' },
    ]);
    expect(timersOf(historyIn.ringing)).toEqual([
      { kind: 'dial_timeout', dueAt: '2026-01-01T00:01:00.000Z' },
    ]);
    expect(timersOf([created({ dialTimeoutSec: 20 })])).toEqual([
      { kind: 'dial_timeout', dueAt: '2026-01-01T00:00:20.000Z' },
    ]);
  });

  it('the answer cancels the dial timeout and starts the max duration, counted from the answer', () => {
    expect(timersOf(historyIn.progressing)).toEqual([
      { kind: 'max_duration', dueAt: '2026-01-01T01:00:05.000Z' },
    ]);
    expect(timersOf([created({ maxDurationSec: 90 }), answered()])).toEqual([
      { kind: 'max_duration', dueAt: '2026-01-01T00:01:35.000Z' },
    ]);
  });

  it('a requested hangup waits for its confirmation', () => {
    expect(HANGUP_CONFIRMATION_TIMEOUT_SEC).toBe(30);
    expect(timersOf(historyIn.terminating)).toEqual([
      { kind: 'hangup_confirmation', dueAt: '2026-01-01T00:01:00.000Z' },
    ]);
    expect(timersOf(historyIn.canceling)).toEqual([
      { kind: 'hangup_confirmation', dueAt: '2026-01-01T00:01:00.000Z' },
    ]);
  });

  it('a hung-up or unknown call waits for nothing', () => {
    expect(timersOf(historyIn.hangup)).toEqual([]);
    expect(timersOf([])).toEqual([]);
  });

  it('maps each timer to the command it sends when it fires', () => {
    const call = { id: CALL_ID, customerId: CUSTOMER };
    const data = { callId: CALL_ID, customerId: CUSTOMER, at: T_END };
    expect(timerCommand({ kind: 'dial_timeout', dueAt: T_END }, call, T_END)).toEqual({
      type: 'ExpireDialTimeout',
      data,
    });
    expect(timerCommand({ kind: 'max_duration', dueAt: T_END }, call, T_END)).toEqual({
      type: 'ExpireMaxDuration',
      data,
    });
    expect(timerCommand({ kind: 'hangup_confirmation', dueAt: T_END }, call, T_END)).toEqual({
      type: 'ExpireHangupConfirmation',
      data,
    });
  });
});

describe('ExpireDialTimeout', () => {
  const deadline = '2026-01-01T00:01:00.000Z';

  it('at the deadline, a ringing call is cancelled with reason dialout; the gateway then ends the leg', () => {
    spec(callDecider)
      .given(historyIn.ringing)
      .when(expire('ExpireDialTimeout', deadline))
      .then([hangupRequested('canceling', 'dialout', deadline)]);
  });

  it('a dialing call too', () => {
    spec(callDecider)
      .given(historyIn.dialing)
      .when(expire('ExpireDialTimeout', deadline))
      .then([hangupRequested('canceling', 'dialout', deadline)]);
  });

  it('before the deadline it is ignored (the state still lists the timer, so it fires again)', () => {
    spec(callDecider)
      .given(historyIn.ringing)
      .when(expire('ExpireDialTimeout', '2026-01-01T00:00:59.999Z'))
      .thenNothing();
  });

  it('fired twice, the second finds the call canceling and changes nothing', () => {
    spec(callDecider)
      .given([...historyIn.ringing, hangupRequested('canceling', 'dialout', deadline)])
      .when(expire('ExpireDialTimeout', deadline))
      .thenNothing();
  });

  it('after the answer it is moot', () => {
    spec(callDecider).given(historyIn.progressing).when(expire('ExpireDialTimeout')).thenNothing();
  });
});

describe('ExpireMaxDuration', () => {
  const deadline = '2026-01-01T01:00:05.000Z';

  it('at the deadline, an answered call terminates with reason timeout', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(expire('ExpireMaxDuration', deadline))
      .then([hangupRequested('terminating', 'timeout', deadline)]);
  });

  it('before the deadline it is ignored', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(expire('ExpireMaxDuration', '2026-01-01T01:00:04.999Z'))
      .thenNothing();
  });

  it.each([
    ['dialing', historyIn.dialing],
    ['terminating', historyIn.terminating],
    ['canceling', historyIn.canceling],
    ['hangup', historyIn.hangup],
  ] as const)('while %s it is moot', (_, history) => {
    spec(callDecider).given(history).when(expire('ExpireMaxDuration')).thenNothing();
  });

  it('the media confirmation then ends it with hangup_by local, reason timeout', () => {
    spec(callDecider)
      .given([...historyIn.progressing, hangupRequested('terminating', 'timeout', deadline)])
      .when(signal('hangup', { signalId: 'sig-bye', at: deadline }))
      .then([
        hungUp({
          hangupBy: 'local',
          hangupReason: 'timeout',
          rawCause: null,
          signalId: 'sig-bye',
          at: deadline,
          endTime: deadline,
          durationSec: 3600,
        }),
      ]);
  });
});

describe('ExpireHangupConfirmation (the media layer never confirmed our hangup)', () => {
  const deadline = '2026-01-01T00:01:00.000Z';

  it('completes a terminating call with the reason already chosen and no signal', () => {
    spec(callDecider)
      .given(historyIn.terminating)
      .when(expire('ExpireHangupConfirmation', deadline))
      .then([
        hungUp({
          hangupBy: 'local',
          rawCause: null,
          signal: null,
          signalId: null,
          at: deadline,
          endTime: deadline,
          durationSec: 55,
        }),
      ]);
  });

  it('completes a canceling call as an unanswered cancel', () => {
    spec(callDecider)
      .given(historyIn.canceling)
      .when(expire('ExpireHangupConfirmation', deadline))
      .then([
        hungUp({
          hangupBy: 'local',
          hangupReason: 'cancel',
          rawCause: null,
          signal: null,
          signalId: null,
          at: deadline,
          endTime: deadline,
          durationSec: 0,
        }),
      ]);
  });

  it('before its deadline it is ignored', () => {
    spec(callDecider)
      .given(historyIn.terminating)
      .when(expire('ExpireHangupConfirmation', '2026-01-01T00:00:59.999Z'))
      .thenNothing();
  });

  it('once the confirmation arrived it is moot, and a late confirmation after it is a no-op', () => {
    const forced = hungUp({
      hangupBy: 'local',
      signal: null,
      signalId: null,
      at: deadline,
      endTime: deadline,
    });
    spec(callDecider)
      .given([...historyIn.terminating, forced])
      .when(expire('ExpireHangupConfirmation', deadline))
      .thenNothing();
    spec(callDecider)
      .given([created(), rang(), answered(), hangupRequested('terminating', 'normal', T_HANGUP_REQ), forced])
      .when(signal('hangup', { at: T_END }))
      .thenNothing();
  });
});
