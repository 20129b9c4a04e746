import { SimulatedMediaGateway } from '../../src/calls/call-process/simulated-media-gateway';
import type {
  MediaCallSignal,
  MediaConferenceSignal,
  MediaSignalSink,
} from '../../src/calls/media-gateway/media-gateway.port';
import { DEFAULT_SIMULATED_GATEWAY_CONFIG } from '../../src/calls/media-gateway/simulated-script';
import { MemoryRecordingFiles } from '../../src/recordings/files/recording-files';
import type {
  MediaRecordingSignal,
  RecordingStopMediaRequest,
} from '../../src/recordings/media/recording-media';
import { MAX_SIMULATED_RECORDING_SEC } from '../../src/recordings/media/simulated-recorder';
import { readWavHeader } from '../../src/recordings/wav-file';
import { RecordingLogger } from '../reactors/reactor-fixtures';
import { FixedClock } from '../support/fixed-clock';
import { ManualScheduler } from '../timers/manual-scheduler';

class Sink implements MediaSignalSink {
  readonly recordings: MediaRecordingSignal[] = [];
  async callSignal(_signal: MediaCallSignal): Promise<void> {}
  async conferenceSignal(_signal: MediaConferenceSignal): Promise<void> {}
  async controlSignal(): Promise<void> {} // call control: test/calls/call-actions/
  async recordingSignal(signal: MediaRecordingSignal): Promise<void> {
    this.recordings.push(signal);
  }
}

const REC = '00000000-0000-7000-8000-0000000000a1';
const stopRequest = (tmStopRequested: string): RecordingStopMediaRequest => ({
  recordingId: REC,
  customerId: 'customer-a',
  referenceType: 'call',
  referenceId: 'call-1',
  format: 'wav',
  tmStart: '2026-01-01T00:00:00.000Z',
  tmStopRequested,
});
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SimulatedMediaGateway: recording', () => {
  let sink: Sink;
  let files: MemoryRecordingFiles;
  let scheduler: ManualScheduler;
  let gateway: SimulatedMediaGateway;

  beforeEach(() => {
    sink = new Sink();
    files = new MemoryRecordingFiles();
    const clock = new FixedClock('2026-01-01T00:00:20.000Z');
    scheduler = new ManualScheduler(clock);
    gateway = new SimulatedMediaGateway(
      sink,
      DEFAULT_SIMULATED_GATEWAY_CONFIG,
      clock,
      scheduler,
      new RecordingLogger(),
      files,
    );
  });

  it('writes a WAV as long as the recording ran and reports `finished` after the hangup delay', async () => {
    await gateway.startRecording(stopRequest('unused'));
    expect(sink.recordings).toEqual([]);
    await gateway.stopRecording(stopRequest('2026-01-01T00:00:12.500Z'));
    expect(readWavHeader((await files.read(REC))!)).toMatchObject({ durationMs: 12_500, sampleRate: 8000 });
    scheduler.advance(DEFAULT_SIMULATED_GATEWAY_CONFIG.hangupDelayMs - 1);
    await flush();
    expect(sink.recordings).toEqual([]);
    scheduler.advance(1);
    await flush();
    expect(sink.recordings).toEqual([
      {
        recordingId: REC,
        customerId: 'customer-a',
        signalId: `sim-${REC}-finished`,
        signal: 'finished',
        tmEnd: '2026-01-01T00:00:12.500Z',
        durationSec: 13,
        mediaUrl: null,
        at: '2026-01-01T00:00:20.000Z',
      },
    ]);
  });

  it('a repeated stop reports the same signal id again (the decider absorbs it)', async () => {
    await gateway.stopRecording(stopRequest('2026-01-01T00:00:02.000Z'));
    await gateway.stopRecording(stopRequest('2026-01-01T00:00:02.000Z'));
    scheduler.advance(DEFAULT_SIMULATED_GATEWAY_CONFIG.hangupDelayMs);
    await flush();
    await flush();
    expect(new Set(sink.recordings.map((s) => s.signalId))).toEqual(new Set([`sim-${REC}-finished`]));
  });

  it(`cuts the audio at ${MAX_SIMULATED_RECORDING_SEC} s but reports the real duration`, async () => {
    await gateway.stopRecording(stopRequest('2026-01-01T01:00:00.000Z'));
    expect(readWavHeader((await files.read(REC))!)?.durationMs).toBe(MAX_SIMULATED_RECORDING_SEC * 1000);
    scheduler.advance(DEFAULT_SIMULATED_GATEWAY_CONFIG.hangupDelayMs);
    await flush();
    expect(sink.recordings[0].durationSec).toBe(3600);
  });
});
