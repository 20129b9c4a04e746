import {
  conferencecallTimerSource,
  dueConferencecallTimers,
  type ExpireConferencecallTimer,
} from '../../src/conferences/conference-timers/conferencecall-timers';
import type { ConferencecallEvent } from '../../src/conferences/conferencecall';
import { conferencecallDecider as conferencecallTimerDecider } from '../../src/conferences/conferencecall.decider';
import { fold } from '../../src/domain/decider';
import { spec } from '../support/decider-spec';

const CUSTOMER = '00000000-0000-7000-8000-00000000c001';
const CC = '00000000-0000-7000-8000-0000000cc001';
const T0 = '2026-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const ref = (seconds: number) => ({
  conferencecallId: CC,
  conferenceId: '00000000-0000-7000-8000-0000000000f1',
  referenceId: '00000000-0000-7000-8000-0000000ca001',
  at: at(seconds),
});

const started: ConferencecallEvent = {
  type: 'ConferencecallJoinStarted',
  data: { ...ref(0), customerId: CUSTOMER, referenceType: 'call' },
};
const joined: ConferencecallEvent = { type: 'ConferencecallJoined', data: ref(1) };
const kicked = (seconds: number): ConferencecallEvent => ({
  type: 'ConferencecallKicked',
  data: ref(seconds),
});
const left: ConferencecallEvent = { type: 'ConferencecallLeft', data: ref(200) };
const expire = (kind: 'join_timeout' | 'leave_confirmation', seconds: number): ExpireConferencecallTimer => ({
  type: 'ExpireConferencecallTimer',
  data: { conferencecallId: CC, customerId: CUSTOMER, kind, at: at(seconds) },
});
const timersAfter = (events: ConferencecallEvent[]) =>
  dueConferencecallTimers(fold(conferencecallTimerDecider, events));

describe('conferencecall timers', () => {
  it('while joining: a join timeout 60 s after the join started', () => {
    expect(timersAfter([started])).toEqual([{ kind: 'join_timeout', dueAt: at(60) }]);
  });

  it('while leaving: a leave confirmation 30 s after the kick; none when joined or gone', () => {
    expect(timersAfter([started, joined])).toEqual([]);
    expect(timersAfter([started, joined, kicked(100)])).toEqual([
      { kind: 'leave_confirmation', dueAt: at(130) },
    ]);
    expect(timersAfter([started, joined, kicked(100), left])).toEqual([]);
    expect(timersAfter([])).toEqual([]);
  });

  it('the join timeout kicks a participant still joining', () => {
    spec(conferencecallTimerDecider)
      .given([started])
      .when(expire('join_timeout', 60))
      .then([kicked(60)]);
  });

  it('an early, stale or mismatched firing decides nothing', () => {
    spec(conferencecallTimerDecider).given([started]).when(expire('join_timeout', 59)).thenNothing();
    spec(conferencecallTimerDecider).given([started, joined]).when(expire('join_timeout', 61)).thenNothing();
    spec(conferencecallTimerDecider).given([started]).when(expire('leave_confirmation', 100)).thenNothing();
    spec(conferencecallTimerDecider)
      .given([started, joined, kicked(100)])
      .when(expire('leave_confirmation', 129))
      .thenNothing();
    spec(conferencecallTimerDecider)
      .given([started, joined, kicked(100), left])
      .when(expire('leave_confirmation', 300))
      .thenNothing();
  });

  it('the leave confirmation records the leave of a participant still leaving', () => {
    spec(conferencecallTimerDecider)
      .given([started, joined, kicked(100)])
      .when(expire('leave_confirmation', 130))
      .then([{ type: 'ConferencecallLeft', data: ref(130) }]);
  });

  it('builds the firing command from the state, and says when a participant is done', () => {
    const state = fold(conferencecallTimerDecider, [started]);
    expect(conferencecallTimerSource.command({ kind: 'join_timeout', dueAt: at(60) }, state, at(61))).toEqual(
      expire('join_timeout', 61),
    );
    expect(conferencecallTimerSource.finished?.(state)).toBe(false);
    expect(conferencecallTimerSource.finished?.(fold(conferencecallTimerDecider, [started, left]))).toBe(
      true,
    );
  });

  it('passes every other command to the conferencecall decider', () => {
    spec(conferencecallTimerDecider)
      .given([started])
      .when({ type: 'ConfirmJoined', data: { conferencecallId: CC, customerId: CUSTOMER, at: at(1) } })
      .then([joined]);
  });
});
