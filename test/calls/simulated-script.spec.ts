import { callDecider } from '../../src/calls/call.decider';
import { dialRequestOf } from '../../src/calls/media-gateway/media-gateway.port';
import {
  DEFAULT_SIMULATED_GATEWAY_CONFIG,
  type SimulatedGatewayConfig,
  simulatedBehaviour,
  simulatedDialScript,
  simulatedHangupScript,
} from '../../src/calls/media-gateway/simulated-script';
import { fold } from '../../src/domain/decider';
import { CALL_ID, CUSTOMER, created } from './call-fixtures';

const config: SimulatedGatewayConfig = {
  ringDelayMs: 100,
  answerDelayMs: 400,
  noAnswerAfterMs: 9_000,
  hangupDelayMs: 50,
  conferenceDelayMs: 70,
  talkMsPerCharacter: 60,
  playDurationMs: 5_000,
  amdDelayMs: 1_000,
};
const tel = (target: string) => ({ type: 'tel' as const, target, targetName: '', name: '', detail: '' });

describe('simulated dial script', () => {
  it('an ordinary destination rings after the ring delay, then answers after the answer delay, and stays up', () => {
    expect(simulatedDialScript(tel('+15005550006'), config)).toEqual([
      { afterMs: 100, signal: 'ringing', cause: null },
      { afterMs: 500, signal: 'answered', cause: null },
    ]);
  });

  it('an agent (seed 000 contact_id) answers like any ordinary destination', () => {
    expect(simulatedDialScript({ target: 'jj084' }, config).map((step) => step.signal)).toEqual([
      'ringing',
      'answered',
    ]);
  });

  it('+15005550001 is busy', () => {
    expect(simulatedDialScript('+15005550001', config)).toEqual([
      { afterMs: 100, signal: 'busy', cause: 'USER_BUSY' },
    ]);
  });

  it('+15005550002 rings and then gives the no-answer verdict', () => {
    expect(simulatedDialScript('+15005550002', config)).toEqual([
      { afterMs: 100, signal: 'ringing', cause: null },
      { afterMs: 9_100, signal: 'no_answer', cause: 'NO_ANSWER' },
    ]);
  });

  it('+15005550003 fails', () => {
    expect(simulatedDialScript('+15005550003', config)).toEqual([
      { afterMs: 100, signal: 'failed', cause: 'NETWORK_OUT_OF_ORDER' },
    ]);
  });

  it('+15005550004 rings and then rejects', () => {
    expect(simulatedDialScript('+15005550004', config)).toEqual([
      { afterMs: 100, signal: 'ringing', cause: null },
      { afterMs: 500, signal: 'rejected', cause: 'CALL_REJECTED' },
    ]);
  });

  it('+15005550005 rings forever, leaving the end to our dial timeout', () => {
    expect(simulatedDialScript('+15005550005', config)).toEqual([
      { afterMs: 100, signal: 'ringing', cause: null },
    ]);
  });

  it.each([
    ['+15005551005', 5],
    ['+15005551000', 0],
    ['+15005551120', 120],
  ])('%s answers and the far end hangs up %i s after the answer', (target, seconds) => {
    expect(simulatedDialScript(target, config)).toEqual([
      { afterMs: 100, signal: 'ringing', cause: null },
      { afterMs: 500, signal: 'answered', cause: null },
      { afterMs: 500 + seconds * 1000, signal: 'hangup', cause: 'NORMAL_CLEARING' },
    ]);
  });

  it.each(['+1500555100', '+150055510050', '+15005551abc'])('%s is not a remote-hangup number', (target) => {
    expect(simulatedBehaviour(target)).toEqual({ kind: 'answer' });
  });

  it('recognises magic numbers written with separators, whatever the address type', () => {
    expect(simulatedBehaviour('+1 (500) 555-0001')).toEqual({ kind: 'busy' });
    expect(simulatedBehaviour({ target: '+1.500.555.1007' })).toEqual({
      kind: 'answer_then_hangup',
      afterSec: 7,
    });
  });

  it('is ordered by time for every behaviour', () => {
    for (const target of ['+15005550001', '+15005550002', '+15005550004', '+15005551009', 'x']) {
      const offsets = simulatedDialScript(target, config).map((step) => step.afterMs);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
  });

  it('uses the defaults when no config is given', () => {
    const { ringDelayMs, answerDelayMs } = DEFAULT_SIMULATED_GATEWAY_CONFIG;
    expect(simulatedDialScript('anyone')).toEqual([
      { afterMs: ringDelayMs, signal: 'ringing', cause: null },
      { afterMs: ringDelayMs + answerDelayMs, signal: 'answered', cause: null },
    ]);
  });

  it('refuses a negative or non-finite delay', () => {
    expect(() => simulatedDialScript('x', { ...config, ringDelayMs: -1 })).toThrow(RangeError);
    expect(() => simulatedHangupScript({ ...config, hangupDelayMs: Number.POSITIVE_INFINITY })).toThrow(
      RangeError,
    );
  });
});

describe('simulated hangup script', () => {
  it('confirms a hangup request after the hangup delay', () => {
    expect(simulatedHangupScript(config)).toEqual([
      { afterMs: 50, signal: 'hangup', cause: 'NORMAL_CLEARING' },
    ]);
  });
});

describe('dialRequestOf', () => {
  it('gives the gateway what it needs to dial, from the call state', () => {
    const state = fold(callDecider, [created({ metadata: { k: 'v' }, source: tel('+4930123') })]);
    if (state.status === 'none') throw new Error('expected a call');
    expect(dialRequestOf(state)).toEqual({
      callId: CALL_ID,
      customerId: CUSTOMER,
      type: 'voice',
      direction: 'outgoing',
      source: tel('+4930123'),
      destination: { type: 'agent', target: 'jj084', targetName: '', name: '', detail: '' },
      metadata: { k: 'v' },
      detectMachine: false,
    });
  });
});
