import { SimulatedMediaGateway } from '../../../src/calls/call-process/simulated-media-gateway';
import type {
  DialRequest,
  MediaCallSignal,
  MediaControlSignal,
  MediaSignalSink,
} from '../../../src/calls/media-gateway/media-gateway.port';
import { simulatedActionDurationMs } from '../../../src/calls/media-gateway/simulated-control-script';
import {
  DEFAULT_SIMULATED_GATEWAY_CONFIG,
  MAGIC_DESTINATIONS,
} from '../../../src/calls/media-gateway/simulated-script';
import { RecordingLogger } from '../../reactors/reactor-fixtures';
import { FixedClock } from '../../support/fixed-clock';
import { ManualScheduler } from '../../timers/manual-scheduler';

class RecordingSink implements MediaSignalSink {
  readonly calls: MediaCallSignal[] = [];
  readonly controls: MediaControlSignal[] = [];
  async callSignal(signal: MediaCallSignal): Promise<void> {
    this.calls.push(signal);
  }
  async conferenceSignal(): Promise<void> {}
  async controlSignal(signal: MediaControlSignal): Promise<void> {
    this.controls.push(signal);
  }
  async recordingSignal(): Promise<void> {}
}

const config = {
  ...DEFAULT_SIMULATED_GATEWAY_CONFIG,
  ringDelayMs: 1_000,
  answerDelayMs: 2_000,
  talkMsPerCharacter: 50,
  playDurationMs: 4_000,
  amdDelayMs: 500,
};
const flush = () => new Promise((resolve) => setImmediate(resolve));
const leg = { callId: 'c1', customerId: 'customer-a' };
const dial = (target: string, detectMachine: boolean): DialRequest => ({
  ...leg,
  type: 'voice',
  direction: 'outgoing',
  source: null,
  destination: { type: 'tel', target, targetName: '', name: '', detail: '' },
  metadata: {},
  detectMachine,
});

describe('simulated gateway: call control under a fixed clock', () => {
  let sink: RecordingSink;
  let scheduler: ManualScheduler;
  let gateway: SimulatedMediaGateway;

  beforeEach(() => {
    sink = new RecordingSink();
    const clock = new FixedClock('2026-01-01T00:00:00.000Z');
    scheduler = new ManualScheduler(clock);
    gateway = new SimulatedMediaGateway(sink, config, clock, scheduler, new RecordingLogger());
  });
  const advance = async (ms: number) => {
    scheduler.advance(ms);
    await flush();
  };
  const controls = () => sink.controls.map((s) => [s.signalId, s.kind, s.actionId, s.result, s.at]);

  it('a talk lasts in proportion to its text: 20 characters × 50 ms = 1 s', async () => {
    const text = 'Hello, how are you??';
    expect(simulatedActionDurationMs({ type: 'talk', option: { text } }, config)).toBe(1_000);
    await gateway.executeAction({ ...leg, actionId: 'a1', type: 'talk', option: { text } });
    await advance(0);
    await advance(999);
    expect(controls()).toEqual([
      ['sim-c1-a1-action_started', 'action_started', 'a1', null, '2026-01-01T00:00:00.000Z'],
    ]);
    await advance(1);
    expect(controls()[1]).toEqual([
      'sim-c1-a1-action_finished',
      'action_finished',
      'a1',
      'done',
      '2026-01-01T00:00:01.000Z',
    ]);
  });

  it('a play lasts the fixed play duration, whatever the URL; a repeated request plays once', async () => {
    const play = {
      ...leg,
      actionId: 'a2',
      type: 'play' as const,
      option: { url: 'https://example.com/x.wav' },
    };
    await gateway.executeAction(play);
    await gateway.executeAction(play);
    await advance(0);
    await advance(4_000);
    expect(controls().map(([id, , , , at]) => [id, at])).toEqual([
      ['sim-c1-a2-action_started', '2026-01-01T00:00:00.000Z'],
      ['sim-c1-a2-action_finished', '2026-01-01T00:00:04.000Z'],
    ]);
  });

  it('a hangup drops what an action had left to report', async () => {
    await gateway.executeAction({ ...leg, actionId: 'a3', type: 'play', option: { url: 'https://e.com/x' } });
    await advance(0);
    await gateway.hangup(leg, 'normal');
    await advance(10_000);
    expect(controls().map(([, kind]) => kind)).toEqual(['action_started']);
  });

  it('AMD: the verdict comes amdDelayMs after the answer, machine for the magic number', async () => {
    await gateway.dial(dial(MAGIC_DESTINATIONS.machine, true));
    await advance(3_000); // ringing, answered
    expect(sink.calls.map((s) => s.signal)).toEqual(['ringing', 'answered']);
    await advance(499);
    expect(controls()).toEqual([]);
    await advance(1);
    expect(controls()).toEqual([['sim-c1-amd', 'amd', null, 'machine', '2026-01-01T00:00:03.500Z']]);
  });

  it('AMD: any other number is a human; without AMD no verdict is reported', async () => {
    await gateway.dial(dial('+4930123456', true));
    await gateway.dial({ ...dial(MAGIC_DESTINATIONS.machine, false), callId: 'c2' });
    await advance(10_000);
    expect(controls().map(([id, , , result]) => [id, result])).toEqual([['sim-c1-amd', 'human']]);
  });
});
