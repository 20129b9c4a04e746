import { assertNever } from '../../domain/decider';
import type { CallAddress, CallSignal } from '../call';

/**
 * What the built-in simulated media gateway does, as pure data: given a destination and the delays, the
 * list of signals it will report and when. The timer-driven gateway only plays the list back, so tests
 * under a fake clock are deterministic.
 *
 * Magic destinations (in the spirit of Twilio's test numbers; the meanings are ours). The destination's
 * `target` is compared after removing spaces, dashes, dots and parentheses, whatever the address type.
 * R = `ringDelayMs`, A = `answerDelayMs`, N = `noAnswerAfterMs`; offsets count from the dial request.
 *
 * | destination      | behaviour                                      | signals (offset: signal, cause)                                 |
 * |------------------|------------------------------------------------|-----------------------------------------------------------------|
 * | `+15005550001`   | busy                                           | R: busy USER_BUSY                                               |
 * | `+15005550002`   | rings, nobody answers (media layer's verdict)  | R: ringing; R+N: no_answer NO_ANSWER                            |
 * | `+15005550003`   | cannot be reached                              | R: failed NETWORK_OUT_OF_ORDER                                  |
 * | `+15005550004`   | rings, then declines                           | R: ringing; R+A: rejected CALL_REJECTED                         |
 * | `+15005550005`   | rings forever: only our dial timeout ends it   | R: ringing                                                      |
 * | `+15005550006`   | answers; an answering machine (AMD `machine`)  | as "anything else"; with AMD, R+A+amdDelayMs: amd machine        |
 * | `+15005551SSS`   | answers; the far end hangs up SSS s later      | R: ringing; R+A: answered; R+A+SSS·1000: hangup NORMAL_CLEARING  |
 * | anything else    | answers and stays up until we hang up          | R: ringing; R+A: answered                                       |
 *
 * When the orchestrator hangs up, the gateway drops what is left of the dial script and plays
 * `simulatedHangupScript` (a `hangup` confirmation after `hangupDelayMs`). Conference joins and leaves
 * are confirmed after `conferenceDelayMs`.
 */
export type ScriptStep = { afterMs: number; signal: CallSignal; cause: string | null };

export type SimulatedGatewayConfig = {
  /** Dial request → `ringing`. */
  ringDelayMs: number;
  /** `ringing` → `answered` (or `rejected` for the declining number). */
  answerDelayMs: number;
  /** `ringing` → `no_answer` for the no-answer number. */
  noAnswerAfterMs: number;
  /** Hangup request → `hangup` confirmation. */
  hangupDelayMs: number;
  /** Join/leave request → `joined`/`left` confirmation. */
  conferenceDelayMs: number;
  // --- call control and AMD (`simulated-control-script.ts`) ---
  /** A talk lasts this long per character of its text. */
  talkMsPerCharacter: number;
  /** A play lasts this long, whatever the URL (the simulated gateway fetches nothing). */
  playDurationMs: number;
  /** `answered` → the `amd` verdict, when AMD was asked for. */
  amdDelayMs: number;
};

export const DEFAULT_SIMULATED_GATEWAY_CONFIG: SimulatedGatewayConfig = {
  ringDelayMs: 1_000,
  answerDelayMs: 3_000,
  noAnswerAfterMs: 30_000,
  hangupDelayMs: 200,
  conferenceDelayMs: 200,
  talkMsPerCharacter: 60,
  playDurationMs: 5_000,
  amdDelayMs: 1_000,
};

export const MAGIC_DESTINATIONS = {
  busy: '+15005550001',
  noAnswer: '+15005550002',
  failed: '+15005550003',
  rejected: '+15005550004',
  ringForever: '+15005550005',
  /** Answers like any number, but AMD says an answering machine picked up. */
  machine: '+15005550006',
  /** Followed by three digits: seconds until the remote hangup. */
  remoteHangupPrefix: '+15005551',
} as const;

export type SimulatedBehaviour =
  | { kind: 'busy' | 'no_answer' | 'failed' | 'rejected' | 'ring_forever' | 'answer' }
  | { kind: 'answer_then_hangup'; afterSec: number };

/** Which behaviour a destination asks the simulated gateway for. */
export function simulatedBehaviour(destination: Pick<CallAddress, 'target'> | string): SimulatedBehaviour {
  const target = (typeof destination === 'string' ? destination : destination.target).replace(
    /[\s\-().]/g,
    '',
  );
  switch (target) {
    case MAGIC_DESTINATIONS.busy:
      return { kind: 'busy' };
    case MAGIC_DESTINATIONS.noAnswer:
      return { kind: 'no_answer' };
    case MAGIC_DESTINATIONS.failed:
      return { kind: 'failed' };
    case MAGIC_DESTINATIONS.rejected:
      return { kind: 'rejected' };
    case MAGIC_DESTINATIONS.ringForever:
      return { kind: 'ring_forever' };
  }
  const remoteHangup = /^\+15005551(\d{3})$/.exec(target);
  if (remoteHangup) return { kind: 'answer_then_hangup', afterSec: Number(remoteHangup[1]) };
  return { kind: 'answer' };
}

/** The signals the simulated gateway reports after `dial`, ordered by `afterMs`. */
export function simulatedDialScript(
  destination: Pick<CallAddress, 'target'> | string,
  config: SimulatedGatewayConfig = DEFAULT_SIMULATED_GATEWAY_CONFIG,
): ScriptStep[] {
  checkConfig(config);
  const ring = config.ringDelayMs;
  const answer = ring + config.answerDelayMs;
  const ringing: ScriptStep = { afterMs: ring, signal: 'ringing', cause: null };
  const answered: ScriptStep = { afterMs: answer, signal: 'answered', cause: null };
  const behaviour = simulatedBehaviour(destination);
  switch (behaviour.kind) {
    case 'busy':
      return [{ afterMs: ring, signal: 'busy', cause: 'USER_BUSY' }];
    case 'no_answer':
      return [ringing, { afterMs: ring + config.noAnswerAfterMs, signal: 'no_answer', cause: 'NO_ANSWER' }];
    case 'failed':
      return [{ afterMs: ring, signal: 'failed', cause: 'NETWORK_OUT_OF_ORDER' }];
    case 'rejected':
      return [ringing, { afterMs: answer, signal: 'rejected', cause: 'CALL_REJECTED' }];
    case 'ring_forever':
      return [ringing];
    case 'answer':
      return [ringing, answered];
    case 'answer_then_hangup':
      return [
        ringing,
        answered,
        { afterMs: answer + behaviour.afterSec * 1000, signal: 'hangup', cause: 'NORMAL_CLEARING' },
      ];
    default:
      return assertNever(behaviour);
  }
}

/** The confirmation the simulated gateway reports after `hangup`. */
export function simulatedHangupScript(
  config: SimulatedGatewayConfig = DEFAULT_SIMULATED_GATEWAY_CONFIG,
): ScriptStep[] {
  checkConfig(config);
  return [{ afterMs: config.hangupDelayMs, signal: 'hangup', cause: 'NORMAL_CLEARING' }];
}

function checkConfig(config: SimulatedGatewayConfig): void {
  for (const [name, value] of Object.entries(config))
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`simulated gateway ${name} must be ≥ 0 ms`);
}
