import { SimulatedMediaGateway } from '../../../src/calls/call-process/simulated-media-gateway';
import type {
  DialRequest,
  MediaCallSignal,
  MediaConferenceSignal,
  MediaControlSignal,
  MediaSignalSink,
} from '../../../src/calls/media-gateway/media-gateway.port';
import {
  DEFAULT_SIMULATED_GATEWAY_CONFIG,
  MAGIC_DESTINATIONS,
} from '../../../src/calls/media-gateway/simulated-script';
import { ruleViolated } from '../../../src/domain/domain-error';
import { RecordingLogger } from '../../reactors/reactor-fixtures';
import { FixedClock } from '../../support/fixed-clock';
import { ManualScheduler } from '../../timers/manual-scheduler';

class RecordingSink implements MediaSignalSink {
  readonly calls: MediaCallSignal[] = [];
  readonly conferences: MediaConferenceSignal[] = [];
  refuse: ((signal: MediaCallSignal) => Error | null) | null = null;
  async callSignal(signal: MediaCallSignal): Promise<void> {
    this.calls.push(signal);
    const error = this.refuse?.(signal);
    if (error) throw error;
  }
  async conferenceSignal(signal: MediaConferenceSignal): Promise<void> {
    this.conferences.push(signal);
  }
  readonly controls: MediaControlSignal[] = [];
  async controlSignal(signal: MediaControlSignal): Promise<void> {
    this.controls.push(signal);
  }
  // recording (issue 12 §2): covered by test/recordings/simulated-recording.spec.ts
  async recordingSignal(): Promise<void> {}
}

const config = { ...DEFAULT_SIMULATED_GATEWAY_CONFIG, ringDelayMs: 1_000, answerDelayMs: 2_000 };
const flush = () => new Promise((resolve) => setImmediate(resolve));

const dialRequest = (target: string, callId = 'c1'): DialRequest => ({
  callId,
  customerId: 'customer-a',
  type: 'voice',
  direction: 'outgoing',
  source: null,
  destination: { type: 'tel', target, targetName: '', name: '', detail: '' },
  metadata: {},
  detectMachine: false,
});

describe('SimulatedMediaGateway', () => {
  let sink: RecordingSink;
  let scheduler: ManualScheduler;
  let clock: FixedClock;
  let logger: RecordingLogger;
  let gateway: SimulatedMediaGateway;

  beforeEach(() => {
    sink = new RecordingSink();
    clock = new FixedClock('2026-01-01T00:00:00.000Z');
    scheduler = new ManualScheduler(clock);
    logger = new RecordingLogger();
    gateway = new SimulatedMediaGateway(sink, config, clock, scheduler, logger);
  });

  const advance = async (ms: number) => {
    scheduler.advance(ms);
    await flush();
  };
  const reported = () => sink.calls.map((s) => [s.signalId, s.signal, s.cause, s.at]);

  it('rings and answers after the configured delays, with stable signal ids and the observed times', async () => {
    await gateway.dial(dialRequest('+4930123456'));
    await advance(999);
    expect(reported()).toEqual([]);
    await advance(1);
    await advance(2_000);
    expect(reported()).toEqual([
      ['sim-c1-1', 'ringing', null, '2026-01-01T00:00:01.000Z'],
      ['sim-c1-2', 'answered', null, '2026-01-01T00:00:03.000Z'],
    ]);
    expect(sink.calls[0]).toMatchObject({ callId: 'c1', customerId: 'customer-a' });
  });

  it('plays the magic busy number as one busy signal', async () => {
    await gateway.dial(dialRequest(MAGIC_DESTINATIONS.busy));
    await advance(10_000);
    expect(reported()).toEqual([['sim-c1-1', 'busy', 'USER_BUSY', '2026-01-01T00:00:01.000Z']]);
  });

  it('ignores a repeated dial of a leg it has; a fresh gateway (restart) replays the same signal ids', async () => {
    await gateway.dial(dialRequest('+4930123456'));
    await gateway.dial(dialRequest('+4930123456'));
    await advance(3_000);
    expect(sink.calls.map((s) => s.signalId)).toEqual(['sim-c1-1', 'sim-c1-2']);

    const restarted = new SimulatedMediaGateway(sink, config, clock, scheduler, logger);
    await restarted.dial(dialRequest('+4930123456'));
    await advance(3_000);
    expect(sink.calls.map((s) => s.signalId)).toEqual(['sim-c1-1', 'sim-c1-2', 'sim-c1-1', 'sim-c1-2']);
  });

  it('on hangup drops the rest of the dial script and confirms with a hangup signal', async () => {
    await gateway.dial(dialRequest('+4930123456'));
    await advance(1_000); // ringing
    await gateway.hangup({ callId: 'c1', customerId: 'customer-a' }, 'cancel');
    await advance(10_000);
    expect(reported()).toEqual([
      ['sim-c1-1', 'ringing', null, '2026-01-01T00:00:01.000Z'],
      ['sim-c1-hangup', 'hangup', 'NORMAL_CLEARING', '2026-01-01T00:00:01.200Z'],
    ]);
  });

  it('confirms a hangup of a leg it never dialled (after a restart), and never dials it afterwards', async () => {
    await gateway.hangup({ callId: 'c9', customerId: 'customer-a' }, 'timeout');
    await gateway.dial(dialRequest('+4930123456', 'c9'));
    await advance(10_000);
    expect(sink.calls.map((s) => [s.signalId, s.signal])).toEqual([['sim-c9-hangup', 'hangup']]);
  });

  it('reports the signals of one call one after the other, even with zero delays', async () => {
    const instant = new SimulatedMediaGateway(
      sink,
      { ...config, ringDelayMs: 0, answerDelayMs: 0 },
      clock,
      scheduler,
      logger,
    );
    let release: () => void = () => undefined;
    const order: string[] = [];
    const slowSink: MediaSignalSink = {
      callSignal: async (signal) => {
        order.push(`start ${signal.signal}`);
        if (signal.signal === 'ringing') await new Promise<void>((resolve) => (release = resolve));
        order.push(`end ${signal.signal}`);
      },
      conferenceSignal: async () => undefined,
      controlSignal: async () => undefined,
      recordingSignal: async () => undefined,
    };
    (instant as unknown as { sink: MediaSignalSink }).sink = slowSink;
    await instant.dial(dialRequest('+4930123456'));
    scheduler.advance(0);
    await flush();
    expect(order).toEqual(['start ringing']);
    release();
    await flush();
    await flush();
    expect(order).toEqual(['start ringing', 'end ringing', 'start answered', 'end answered']);
  });

  it('logs a refused signal at warn and goes on (the record says otherwise)', async () => {
    sink.refuse = (signal) =>
      signal.signal === 'answered' ? ruleViolated('call.invalid_transition', 'call is hangup') : null;
    await gateway.dial(dialRequest('+4930123456'));
    await advance(3_000);
    expect(logger.warnings).toEqual([expect.stringContaining('call is hangup')]);
    expect(logger.errors).toEqual([]);
  });

  it('retries a signal that failed for a transient reason', async () => {
    let failures = 2;
    sink.refuse = () => (failures-- > 0 ? new Error('store busy') : null);
    await gateway.dial(dialRequest(MAGIC_DESTINATIONS.busy));
    await advance(1_000);
    await advance(100); // first retry after 50..100 ms
    await advance(200); // second after 100..200 ms
    expect(sink.calls.map((s) => s.signalId)).toEqual(['sim-c1-1', 'sim-c1-1', 'sim-c1-1']);
    expect(logger.errors).toEqual([]);
  });

  it('records conference actions once per join and leave, and confirms each request asynchronously', async () => {
    const leg = { callId: 'c1', customerId: 'customer-a', conferenceId: 'conf-1', conferencecallId: 'cc-1' };
    const pre = [{ type: 'talk', option: { text: 'welcome' } }];
    const post = [{ type: 'talk', option: { text: 'bye' } }];
    await gateway.joinConference({ ...leg, preActions: pre });
    await gateway.joinConference({ ...leg, preActions: pre });
    expect(sink.conferences).toEqual([]); // not synchronously
    await advance(200);
    await gateway.leaveConference({ ...leg, postActions: post });
    await advance(200);

    expect(gateway.actionsPlayed('c1')).toEqual([
      { phase: 'pre', conferenceId: 'conf-1', conferencecallId: 'cc-1', actions: pre },
      { phase: 'post', conferenceId: 'conf-1', conferencecallId: 'cc-1', actions: post },
    ]);
    expect(sink.conferences.map((s) => [s.signalId, s.signal])).toEqual([
      ['sim-cc-1-joined', 'joined'],
      ['sim-cc-1-joined', 'joined'],
      ['sim-cc-1-left', 'left'],
    ]);
    expect(sink.conferences[0]).toMatchObject({ ...leg, cause: null, at: '2026-01-01T00:00:00.200Z' });
  });

  it('stops reporting on shutdown and refuses new requests (a reactor retries them after restart)', async () => {
    await gateway.dial(dialRequest('+4930123456'));
    await gateway.onModuleDestroy();
    await advance(10_000);
    expect(sink.calls).toEqual([]);
    await expect(gateway.dial(dialRequest('+4930123456', 'c2'))).rejects.toThrow('stopped');
  });
});
