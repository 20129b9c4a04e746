import { isCall } from '../../src/calls/call';
import { callDecider } from '../../src/calls/call.decider';
import { reasonFromCause } from '../../src/calls/call-signals';
import { fold } from '../../src/domain/decider';
import { spec } from '../support/decider-spec';
import {
  answered,
  assigned,
  chained,
  created,
  hangupRequested,
  historyIn,
  hungUp,
  rang,
  signal,
  T_ANSWER,
  T_RING,
} from './call-fixtures';

/** A remote end before the answer: no talk time. */
const unanswered = (over: Parameters<typeof hungUp>[0]) =>
  hungUp({ durationSec: 0, rawCause: null, signalId: `sig-new-${over?.signal}`, ...over });

describe('signals before the answer', () => {
  it('ringing moves dialing to ringing', () => {
    spec(callDecider)
      .given(historyIn.dialing)
      .when(signal('ringing', { signalId: 'sig-ringing', at: T_RING }))
      .then([rang()]);
  });

  it('a second ringing (another 180/183) while ringing changes nothing', () => {
    spec(callDecider)
      .given(historyIn.ringing)
      .when(signal('ringing', { signalId: 'sig-183' }))
      .thenNothing();
  });

  it('answered moves ringing to progressing', () => {
    spec(callDecider)
      .given(historyIn.ringing)
      .when(signal('answered', { signalId: 'sig-answered', at: T_ANSWER }))
      .then([answered()]);
  });

  it('answered straight from dialing is allowed (no ringing reported): tm_ringing stays empty', () => {
    spec(callDecider)
      .given(historyIn.dialing)
      .when(signal('answered', { signalId: 'sig-answered', at: T_ANSWER }))
      .then([answered()]);
    const state = fold(callDecider, [created(), answered()]);
    expect(state).toMatchObject({ status: 'progressing', tmRinging: null, tmProgressing: T_ANSWER });
  });

  it.each([
    ['busy', 'USER_BUSY', 'busy'],
    ['no_answer', 'NO_ANSWER', 'noanswer'],
    ['rejected', 'CALL_REJECTED', 'busy'], // reached and declined: busy, not failed (see call-signals.ts)
    ['failed', 'NETWORK_OUT_OF_ORDER', 'failed'],
  ] as const)(
    '%s ends the call: hangup_by remote, reason as in seed 003, raw cause kept',
    (kind, cause, reason) => {
      spec(callDecider)
        .given(historyIn.ringing)
        .when(signal(kind, { cause }))
        .then([unanswered({ signal: kind, hangupReason: reason, rawCause: cause })]);
    },
  );

  it('a signal without a cause keeps rawCause null', () => {
    spec(callDecider)
      .given(historyIn.dialing)
      .when(signal('busy'))
      .then([unanswered({ signal: 'busy', hangupReason: 'busy' })]);
  });

  it.each([
    [null, 'failed'],
    ['USER_BUSY', 'busy'],
    ['486', 'busy'],
    ['no_answer', 'noanswer'],
    [' 19 ', 'noanswer'],
    ['SOMETHING_ELSE', 'failed'],
  ] as const)('hangup before the answer of an outgoing call with cause %s → %s', (cause, reason) => {
    spec(callDecider)
      .given(historyIn.ringing)
      .when(signal('hangup', { cause }))
      .then([unanswered({ signal: 'hangup', hangupReason: reason, rawCause: cause })]);
  });

  it('hangup before the answer of an incoming call is its originator cancelling', () => {
    spec(callDecider)
      .given([created({ direction: 'incoming' })])
      .when(signal('hangup', { cause: 'NORMAL_CLEARING' }))
      .then([unanswered({ signal: 'hangup', hangupReason: 'cancel', rawCause: 'NORMAL_CLEARING' })]);
  });
});

describe('signals after the answer', () => {
  it('hangup ends it normally, by the remote side, with the talk time', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(signal('hangup', { signalId: 'sig-hangup', cause: 'NORMAL_CLEARING' }))
      .then([hungUp()]);
  });

  it('failed after the answer (the leg broke) ends it with reason failed, by the remote side', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(signal('failed', { signalId: 'sig-rtp', cause: 'RTP_TIMEOUT' }))
      .then([
        hungUp({ hangupReason: 'failed', signal: 'failed', signalId: 'sig-rtp', rawCause: 'RTP_TIMEOUT' }),
      ]);
  });

  it('duration is rounded to whole seconds', () => {
    spec(callDecider)
      .given(historyIn.progressing)
      .when(
        signal('hangup', {
          signalId: 'sig-hangup',
          cause: 'NORMAL_CLEARING',
          at: '2026-01-01T00:00:35.600Z',
        }),
      )
      .then([
        hungUp({ at: '2026-01-01T00:00:35.600Z', endTime: '2026-01-01T00:00:35.600Z', durationSec: 31 }),
      ]);
  });

  it('a late ringing (reordered delivery) is ignored', () => {
    spec(callDecider).given(historyIn.progressing).when(signal('ringing')).thenNothing();
  });

  it('a second answered with another id (200 OK retransmission) is ignored', () => {
    spec(callDecider).given(historyIn.progressing).when(signal('answered')).thenNothing();
  });

  it.each(['busy', 'no_answer', 'rejected'] as const)(
    '%s after the answer contradicts it: 409 naming the current status',
    (kind) => {
      spec(callDecider)
        .given(historyIn.progressing)
        .when(signal(kind))
        .thenRejects('call.invalid_transition', { status: 'progressing', signal: kind });
      spec(callDecider)
        .given(historyIn.terminating)
        .when(signal(kind))
        .thenRejects('call.invalid_transition', { status: 'terminating', signal: kind });
    },
  );

  it('the hangup event carries the conference and the chained calls the call had; state keeps no conference', () => {
    const history = [...historyIn.progressing, chained('call-child', T_ANSWER), assigned()];
    spec(callDecider)
      .given(history)
      .when(signal('hangup', { signalId: 'sig-hangup', cause: 'NORMAL_CLEARING' }))
      .then([
        hungUp({
          conference: { conferenceId: 'conf-1', conferencecallId: 'cc-1' },
          chainedCallIds: ['call-child'],
        }),
      ]);
    const state = fold(callDecider, [...history, hungUp({ chainedCallIds: ['call-child'] })]);
    expect(state).toMatchObject({ status: 'hangup', conference: null, chainedCallIds: ['call-child'] });
  });
});

describe('signals completing a local hangup', () => {
  it.each(['hangup', 'failed'] as const)(
    '%s while terminating completes it: hangup_by local, the reason chosen at request time',
    (kind) => {
      spec(callDecider)
        .given([...historyIn.progressing, hangupRequested('terminating', 'timeout')])
        .when(signal(kind, { signalId: 'sig-bye', cause: 'NORMAL_CLEARING' }))
        .then([hungUp({ hangupBy: 'local', hangupReason: 'timeout', signal: kind, signalId: 'sig-bye' })]);
    },
  );

  it.each(['busy', 'no_answer', 'rejected', 'failed', 'hangup'] as const)(
    '%s while canceling completes the cancel (we asked first); the cause is kept raw',
    (kind) => {
      spec(callDecider)
        .given(historyIn.canceling)
        .when(signal(kind, { cause: 'ORIGINATOR_CANCEL' }))
        .then([
          unanswered({
            hangupBy: 'local',
            hangupReason: 'cancel',
            signal: kind,
            rawCause: 'ORIGINATOR_CANCEL',
          }),
        ]);
    },
  );

  it('a dial-timeout cancel completes with reason dialout', () => {
    spec(callDecider)
      .given([created(), rang(), hangupRequested('canceling', 'dialout')])
      .when(signal('hangup'))
      .then([unanswered({ hangupBy: 'local', hangupReason: 'dialout', signal: 'hangup' })]);
  });

  it('answered while canceling is ignored: the cancel wins and the call ends unanswered', () => {
    spec(callDecider).given(historyIn.canceling).when(signal('answered')).thenNothing();
    spec(callDecider)
      .given(historyIn.canceling)
      .when(signal('hangup', { signalId: 'sig-cancelled' }))
      .then([
        unanswered({
          hangupBy: 'local',
          hangupReason: 'cancel',
          signal: 'hangup',
          signalId: 'sig-cancelled',
        }),
      ]);
  });

  it('ringing or answered while terminating are stale and ignored', () => {
    spec(callDecider).given(historyIn.terminating).when(signal('ringing')).thenNothing();
    spec(callDecider).given(historyIn.terminating).when(signal('answered')).thenNothing();
  });
});

describe('signals after hangup', () => {
  it('answer after hangup is 409 naming the status hangup (the issue example)', () => {
    spec(callDecider)
      .given(historyIn.hangup)
      .when(signal('answered'))
      .thenRejects('call.invalid_transition', { status: 'hangup', signal: 'answered' });
  });

  it('a second hangup with a new id changes nothing', () => {
    spec(callDecider)
      .given(historyIn.hangup)
      .when(signal('hangup', { signalId: 'sig-late-bye' }))
      .thenNothing();
  });
});

describe('signal idempotency (per signal id)', () => {
  it('the same ringing delivered twice: the second changes nothing', () => {
    spec(callDecider)
      .given(historyIn.ringing)
      .when(signal('ringing', { signalId: 'sig-ringing' }))
      .thenNothing();
  });

  it('a redelivered ringing after the answer changes nothing (not even a 409)', () => {
    spec(callDecider)
      .given(historyIn.hangup)
      .when(signal('ringing', { signalId: 'sig-ringing' }))
      .thenNothing();
  });

  it('a redelivered answered after hangup changes nothing, where a new answered would be a 409', () => {
    spec(callDecider)
      .given(historyIn.hangup)
      .when(signal('answered', { signalId: 'sig-answered' }))
      .thenNothing();
  });

  it('a redelivered hangup changes nothing', () => {
    spec(callDecider)
      .given(historyIn.hangup)
      .when(signal('hangup', { signalId: 'sig-hangup' }))
      .thenNothing();
  });

  it('a reused signal id carrying another signal is refused (422)', () => {
    spec(callDecider)
      .given(historyIn.ringing)
      .when(signal('answered', { signalId: 'sig-ringing' }))
      .thenRejects('call.signal_id_reused', { signalId: 'sig-ringing', appliedSignal: 'ringing' });
  });

  it('applied signal ids are remembered in state', () => {
    const state = fold(callDecider, historyIn.hangup);
    expect(isCall(state) && state.appliedSignals).toEqual({
      'sig-ringing': 'ringing',
      'sig-answered': 'answered',
      'sig-hangup': 'hangup',
    });
  });
});

describe('reasonFromCause', () => {
  it.each([
    ['user_busy', 'busy'],
    ['17', 'busy'],
    ['603', 'busy'],
    ['NO_USER_RESPONSE', 'noanswer'],
    ['480', 'noanswer'],
    ['NORMAL_CLEARING', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s', (cause, reason) => {
    expect(reasonFromCause(cause)).toBe(reason);
  });
});
