import { callDecider } from '../../../src/calls/call.decider';
import { spec } from '../../support/decider-spec';
import { answered, CALL_ID, created, historyIn, makeCall, signal, T_ANSWER, T0 } from '../call-fixtures';
import {
  amdRequested,
  finished,
  media,
  message,
  queue,
  queued,
  started,
  T_ACT,
  T_ACT_END,
  talk,
  transfer,
  transferOutcome,
} from './call-control-fixtures';

const call = spec(callDecider);
const transferring = [...historyIn.progressing, queued([transfer(), talk()]), started(transfer())];
const transferred = [
  ...transferring,
  {
    type: 'CallTransferred' as const,
    data: { callId: CALL_ID, actionId: 'act-transfer', transferCallId: 'act-transfer', at: T_ACT_END },
  },
  finished(transfer(), 'done', { at: T_ACT_END }),
];
const terminating = (hangupReason: 'normal' | 'amd', at = T_ACT_END) => ({
  type: 'CallHangupRequested' as const,
  data: { callId: CALL_ID, status: 'terminating' as const, hangupReason, endTime: null, at },
});

describe('transfer (blind)', () => {
  it('the leg answering transfers the call and finishes the action; what was queued is dropped', () => {
    call.given(transferring).when(transferOutcome('answered')).then(transferred.slice(transferring.length));
  });

  it('a leg that ends unanswered fails the transfer with its reason; the call goes on with the next action', () => {
    call
      .given(transferring)
      .when(transferOutcome('ended', 'busy'))
      .then([
        {
          type: 'CallTransferFailed',
          data: {
            callId: CALL_ID,
            actionId: 'act-transfer',
            transferCallId: 'act-transfer',
            reason: 'busy',
            at: T_ACT_END,
          },
        },
        finished(transfer(), 'failed', { at: T_ACT_END, reason: 'busy' }),
        started(talk(), T_ACT_END),
        message('assistant', 'Hello there', { actionId: 'act-talk' }, T_ACT_END),
      ]);
  });

  it('once transferred, the end of the leg ends the call; new actions are refused (409 call.transferred)', () => {
    call
      .given(transferred)
      .when(transferOutcome('ended', 'normal'))
      .then([terminating('normal')]);
    call
      .given(transferred)
      .when(queue([talk('later')]))
      .thenRejects('call.transferred');
  });

  it('outcomes of another leg, repeats, and a media layer finishing the transfer decide nothing', () => {
    call
      .given(transferring)
      .when(transferOutcome('answered', null, 'some-other-call'))
      .thenNothing();
    call.given(transferred).when(transferOutcome('answered')).thenNothing();
    call
      .given(transferring)
      .when(media('action_finished', { actionId: 'act-transfer' }))
      .thenNothing();
  });
});

describe('AMD (answering-machine detection)', () => {
  const amdCall = (onMachine: 'hangup' | 'continue') => [
    created(),
    amdRequested(onMachine, T0),
    queued([talk()], T0),
    answered('sig-a', T_ANSWER),
  ];
  const detected = (result: 'human' | 'machine') => ({
    type: 'CallAmdDetected' as const,
    data: { callId: CALL_ID, result, signalId: 'sig-amd', at: T_ACT_END },
  });

  it('MakeCall with amd records the request beside the creation', () => {
    const creation = [...callDecider.decide(makeCall(), callDecider.initialState)];
    call
      .given([])
      .when(makeCall({ amd: { onMachine: 'hangup' } }))
      .then([...creation, amdRequested('hangup', T0)]);
  });

  it('actions wait for the verdict: the answer alone starts nothing', () => {
    call
      .given([created(), amdRequested('hangup', T0), queued([talk()], T0)])
      .when(signal('answered', { signalId: 'sig-a', at: T_ANSWER }))
      .then([answered('sig-a', T_ANSWER)]);
  });

  it('a machine with on_machine hangup ends the call with hangup_reason amd', () => {
    call
      .given(amdCall('hangup'))
      .when(media('amd', { result: 'machine', signalId: 'sig-amd' }))
      .then([detected('machine'), terminating('amd')]);
  });

  it('a machine with continue, or a human, starts the actions', () => {
    const startsTalk = [
      started(talk(), T_ACT_END),
      message('assistant', 'Hello there', { actionId: 'act-talk' }, T_ACT_END),
    ];
    call
      .given(amdCall('continue'))
      .when(media('amd', { result: 'machine', signalId: 'sig-amd' }))
      .then([detected('machine'), ...startsTalk]);
    call
      .given(amdCall('hangup'))
      .when(media('amd', { result: 'human', signalId: 'sig-amd' }))
      .then([detected('human'), ...startsTalk]);
  });

  it('only the first verdict counts; a bad result is a 422; without AMD a verdict is ignored', () => {
    call
      .given([...amdCall('continue'), detected('human')])
      .when(media('amd', { result: 'machine', signalId: 'sig-amd-2' }))
      .thenNothing();
    call
      .given(amdCall('hangup'))
      .when(media('amd', { result: 'fax', signalId: 'x' }))
      .thenRejects('call.invalid_signal', { field: 'result' });
    call
      .given(historyIn.progressing)
      .when(media('amd', { result: 'machine' }))
      .thenNothing();
  });

  it('the call then hangs up as usual: the confirmation completes it with reason amd, by us', () => {
    const ended = callDecider.decide(
      signal('hangup', { signalId: 'sig-h', at: T_ACT }),
      [...amdCall('hangup'), detected('machine'), terminating('amd')].reduce(
        callDecider.evolve,
        callDecider.initialState,
      ),
    );
    expect(ended[0]).toMatchObject({ type: 'CallHungUp', data: { hangupBy: 'local', hangupReason: 'amd' } });
  });
});
