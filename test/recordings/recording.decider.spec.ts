import type { CallEvent } from '../../src/calls/call';
import { type CallCommand, callDecider } from '../../src/calls/call.decider';
import type { ConferenceEvent } from '../../src/conferences/conference';
import { type ConferenceCommand, conferenceDecider } from '../../src/conferences/conference.decider';
import type { RecordingEvent } from '../../src/recordings/recording';
import { type RecordingCommand, recordingDecider } from '../../src/recordings/recording.decider';
import type { RecordingStopReason } from '../../src/recordings/recording-slot';
import { CALL_ID, CUSTOMER, historyIn, OTHER_CUSTOMER } from '../calls/call-fixtures';
import { spec } from '../support/decider-spec';

const REC = '00000000-0000-7000-8000-0000000000a1';
const REC_2 = '00000000-0000-7000-8000-0000000000b2';
const CONF = '00000000-0000-7000-8000-00000000c0f1';
const T_START = '2026-01-01T00:00:10.000Z';
const T_STOP = '2026-01-01T00:00:17.000Z';
const T_REPORT = '2026-01-01T00:00:18.000Z';

// --- the call's recording slot --------------------------------------------------------------------------

const startCall = (recordingId = REC, customerId = CUSTOMER): CallCommand => ({
  type: 'StartCallRecording',
  data: { callId: CALL_ID, customerId, recordingId, format: 'wav', at: T_START },
});
const stopCall = (
  recordingId: string | null = null,
  reason: RecordingStopReason = 'requested',
): CallCommand => ({
  type: 'StopCallRecording',
  data: { callId: CALL_ID, customerId: CUSTOMER, recordingId, reason, at: T_STOP },
});
const callStarted = (recordingId = REC): CallEvent => ({
  type: 'CallRecordingStarted',
  data: { callId: CALL_ID, recordingId, format: 'wav', at: T_START },
});
const callStopped = (recordingId = REC, reason: RecordingStopReason = 'requested'): CallEvent => ({
  type: 'CallRecordingStopped',
  data: { callId: CALL_ID, recordingId, reason, at: T_STOP },
});

describe('call recording (call decider)', () => {
  const answered = historyIn.progressing;

  it('an answered call starts recording', () => {
    spec(callDecider).given(answered).when(startCall()).then([callStarted()]);
  });

  it('refuses before the answer, while ending and after hangup', () => {
    spec(callDecider).given(historyIn.ringing).when(startCall()).thenRejects('call.not_answered');
    spec(callDecider).given(historyIn.terminating).when(startCall()).thenRejects('call.ending');
    spec(callDecider).given(historyIn.hangup).when(startCall()).thenRejects('call.ending');
  });

  it('one recording at a time; a repeated start is a no-op; a stopped one cannot restart', () => {
    spec(callDecider)
      .given([...answered, callStarted()])
      .when(startCall(REC_2))
      .thenRejects('call.already_recording', { recordingId: REC });
    spec(callDecider)
      .given([...answered, callStarted()])
      .when(startCall())
      .thenNothing();
    spec(callDecider)
      .given([...answered, callStarted(), callStopped()])
      .when(startCall())
      .thenRejects('call.recording_finished');
  });

  it('stops the running recording, and refuses a stop with nothing running', () => {
    spec(callDecider)
      .given([...answered, callStarted()])
      .when(stopCall())
      .then([callStopped()]);
    spec(callDecider).given(answered).when(stopCall()).thenRejects('call.not_recording');
  });

  it('a saga stop names its recording: a no-op once that one is no longer running, allowed after hangup', () => {
    spec(callDecider)
      .given([...answered, callStarted(), callStopped()])
      .when(stopCall(REC))
      .thenNothing();
    const hungUpWhileRecording = [...answered, callStarted(), ...historyIn.hangup.slice(3)];
    spec(callDecider)
      .given(hungUpWhileRecording)
      .when(stopCall(REC, 'call_ended'))
      .then([callStopped(REC, 'call_ended')]);
  });

  it('keeps the running id and every id in the state', () => {
    const state = [...answered, callStarted(), callStopped(), callStarted(REC_2)].reduce(
      callDecider.evolve,
      callDecider.initialState,
    );
    expect(state).toMatchObject({ recordingId: REC_2, recordingIds: [REC, REC_2] });
  });

  it("answers another tenant's call as unknown", () => {
    spec(callDecider).given(answered).when(startCall(REC, OTHER_CUSTOMER)).thenRejects('call.not_found');
  });
});

// --- the conference's recording slot ---------------------------------------------------------------------

const conferenceCreated: ConferenceEvent = {
  type: 'ConferenceCreated',
  data: {
    conferenceId: CONF,
    customerId: CUSTOMER,
    conferenceType: 'conference',
    name: '',
    detail: '',
    data: {},
    timeout: 0,
    timeoutAt: null,
    maxParticipants: null,
    preActions: [],
    postActions: [],
    at: '2026-01-01T00:00:00.000Z',
  },
};
const conferenceTerminated: ConferenceEvent = {
  type: 'ConferenceTerminated',
  data: { conferenceId: CONF, reason: 'stopped', at: T_START },
};
const startConference = (recordingId = REC): ConferenceCommand => ({
  type: 'StartConferenceRecording',
  data: { conferenceId: CONF, customerId: CUSTOMER, recordingId, format: 'wav', at: T_START },
});
const conferenceStarted = (recordingId = REC): ConferenceEvent => ({
  type: 'ConferenceRecordingStarted',
  data: { conferenceId: CONF, recordingId, format: 'wav', at: T_START },
});

describe('conference recording (conference decider)', () => {
  it('a progressing conference starts recording, one at a time', () => {
    spec(conferenceDecider).given([conferenceCreated]).when(startConference()).then([conferenceStarted()]);
    spec(conferenceDecider)
      .given([conferenceCreated, conferenceStarted()])
      .when(startConference(REC_2))
      .thenRejects('conference.already_recording');
  });

  it('refuses a conference that is not running', () => {
    spec(conferenceDecider)
      .given([conferenceCreated, conferenceTerminated])
      .when(startConference())
      .thenRejects('conference.not_active', { status: 'terminated' });
  });

  it('stops the running one; nothing running is a 409; a terminated conference still frees its slot', () => {
    const stop = (recordingId: string | null, reason: RecordingStopReason): ConferenceCommand => ({
      type: 'StopConferenceRecording',
      data: { conferenceId: CONF, customerId: CUSTOMER, recordingId, reason, at: T_STOP },
    });
    spec(conferenceDecider)
      .given([conferenceCreated])
      .when(stop(null, 'requested'))
      .thenRejects('conference.not_recording');
    spec(conferenceDecider)
      .given([conferenceCreated, conferenceStarted(), conferenceTerminated])
      .when(stop(REC, 'conference_ended'))
      .then([
        {
          type: 'ConferenceRecordingStopped',
          data: { conferenceId: CONF, recordingId: REC, reason: 'conference_ended', at: T_STOP },
        },
      ]);
  });
});

// --- the recording aggregate ------------------------------------------------------------------------------

const start = (customerId = CUSTOMER, targetId = CALL_ID): RecordingCommand => ({
  type: 'StartRecording',
  data: { recordingId: REC, customerId, target: { kind: 'call', id: targetId }, format: 'wav', at: T_START },
});
const started: RecordingEvent = {
  type: 'RecordingStarted',
  data: {
    recordingId: REC,
    customerId: CUSTOMER,
    referenceType: 'call',
    referenceId: CALL_ID,
    format: 'wav',
    at: T_START,
  },
};
const stop: RecordingCommand = {
  type: 'StopRecording',
  data: { recordingId: REC, customerId: CUSTOMER, reason: 'requested', at: T_STOP },
};
const stopRequested: RecordingEvent = {
  type: 'RecordingStopRequested',
  data: { recordingId: REC, reason: 'requested', at: T_STOP },
};
const finish = (
  over: Partial<Extract<RecordingCommand, { type: 'FinishRecording' }>['data']> = {},
): RecordingCommand => ({
  type: 'FinishRecording',
  data: { recordingId: REC, customerId: CUSTOMER, signalId: 'sim-finished', at: T_REPORT, ...over },
});
const finished = (
  over: Partial<Extract<RecordingEvent, { type: 'RecordingFinished' }>['data']> = {},
): RecordingEvent => ({
  type: 'RecordingFinished',
  data: {
    recordingId: REC,
    signalId: 'sim-finished',
    tmEnd: T_STOP,
    durationSec: 7,
    mediaUrl: null,
    at: T_REPORT,
    ...over,
  },
});

describe('recording aggregate', () => {
  it('starts once; the same start again is a no-op; another target or tenant on the id is refused', () => {
    spec(recordingDecider).given([]).when(start()).then([started]);
    spec(recordingDecider).given([started]).when(start()).thenNothing();
    spec(recordingDecider)
      .given([started])
      .when(start(CUSTOMER, 'another-call'))
      .thenRejects('recording.already_exists');
    spec(recordingDecider)
      .given([started])
      .when(start(OTHER_CUSTOMER))
      .thenRejects('recording.already_exists');
  });

  it('stops once', () => {
    spec(recordingDecider).given([started]).when(stop).then([stopRequested]);
    spec(recordingDecider).given([started, stopRequested]).when(stop).thenNothing();
    spec(recordingDecider).given([started, finished()]).when(stop).thenNothing();
  });

  it('finishes with the duration from start to the stop request, or as the media layer reports it', () => {
    spec(recordingDecider).given([started, stopRequested]).when(finish()).then([finished()]);
    spec(recordingDecider)
      .given([started, stopRequested])
      .when(
        finish({ durationSec: 6, mediaUrl: 'https://media.example/r.wav', tmEnd: '2026-01-01T00:00:16Z' }),
      )
      .then([
        finished({
          durationSec: 6,
          mediaUrl: 'https://media.example/r.wav',
          tmEnd: '2026-01-01T00:00:16.000Z',
        }),
      ]);
  });

  it('a media layer may end a recording on its own; a second report changes nothing', () => {
    spec(recordingDecider)
      .given([started])
      .when(finish())
      .then([finished({ tmEnd: T_REPORT, durationSec: 8 })]);
    spec(recordingDecider)
      .given([started, stopRequested, finished()])
      .when(finish({ signalId: 'again' }))
      .thenNothing();
  });

  it('refuses an end before the start, and a foreign or unknown recording', () => {
    spec(recordingDecider)
      .given([started, stopRequested])
      .when(finish({ tmEnd: '2025-12-31T00:00:00.000Z' }))
      .thenRejects('recording.invalid_end');
    spec(recordingDecider).given([]).when(stop).thenRejects('recording.not_found');
    spec(recordingDecider)
      .given([started])
      .when({ ...stop, data: { ...stop.data, customerId: OTHER_CUSTOMER } })
      .thenRejects('recording.not_found');
  });

  it('folds to the state the views show', () => {
    const state = [started, stopRequested, finished()].reduce(
      recordingDecider.evolve,
      recordingDecider.initialState,
    );
    expect(state).toMatchObject({
      status: 'finished',
      stopReason: 'requested',
      tmStart: T_START,
      tmStopRequested: T_STOP,
      tmEnd: T_STOP,
      durationSec: 7,
    });
  });
});
