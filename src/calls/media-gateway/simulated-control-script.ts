import type { AmdResult } from '../call-control';
import type { CallActionRequest } from './media-gateway.port';
import { MAGIC_DESTINATIONS, type SimulatedGatewayConfig } from './simulated-script';

/**
 * What the simulated gateway does with call control, as pure data (like `simulated-script.ts`):
 * - a `talk` lasts `talkMsPerCharacter` × the length of its text (60 ms by default, about 165 words a
 *   minute), a `play` lasts `playDurationMs` (5 s); each reports `action_started` at once and
 *   `action_finished` (`done`) when over;
 * - with AMD, the verdict comes `amdDelayMs` (1 s) after the answer: `machine` for `+15005550006`,
 *   `human` for any other destination.
 * Transfers need no table of their own: the new leg is a call to the transfer's destination, so the magic
 * destinations decide its outcome (busy `+15005550001`, no answer `+15005550002`, anything else answers).
 */
export type ControlStep = {
  afterMs: number;
  kind: 'action_started' | 'action_finished';
  result: string | null;
};

export function simulatedActionDurationMs(
  request: Pick<CallActionRequest, 'type' | 'option'>,
  config: Pick<SimulatedGatewayConfig, 'talkMsPerCharacter' | 'playDurationMs'>,
): number {
  if (request.type === 'play') return config.playDurationMs;
  const text = typeof request.option.text === 'string' ? request.option.text : '';
  return text.length * config.talkMsPerCharacter;
}

export function simulatedActionScript(
  request: Pick<CallActionRequest, 'type' | 'option'>,
  config: Pick<SimulatedGatewayConfig, 'talkMsPerCharacter' | 'playDurationMs'>,
): ControlStep[] {
  return [
    { afterMs: 0, kind: 'action_started', result: null },
    { afterMs: simulatedActionDurationMs(request, config), kind: 'action_finished', result: 'done' },
  ];
}

export function simulatedAmdVerdict(target: string): AmdResult {
  return target.replace(/[\s\-().]/g, '') === MAGIC_DESTINATIONS.machine ? 'machine' : 'human';
}
