import { callDecider } from '../../../src/calls/call.decider';
import { spec } from '../../support/decider-spec';
import {
  answered,
  asCustomer,
  CALL_ID,
  created,
  historyIn,
  makeCall,
  OTHER_CUSTOMER,
  signal,
  T_ANSWER,
  T0,
} from '../call-fixtures';
import {
  finished,
  hangupAction,
  media,
  message,
  note,
  play,
  queue,
  queued,
  started,
  T_ACT,
  T_ACT_END,
  talk,
} from './call-control-fixtures';

const call = spec(callDecider);
const answeredCall = historyIn.progressing;

describe('call actions: queueing and running', () => {
  it('an answered, idle call starts a talk at once and says it (assistant message)', () => {
    call
      .given(answeredCall)
      .when(queue([talk()]))
      .then([
        queued([talk()]),
        started(talk()),
        message('assistant', 'Hello there', { actionId: 'act-talk' }),
      ]);
  });

  it('a context note and a hangup action finish in the same decision; the hangup ends the call', () => {
    call
      .given(answeredCall)
      .when(queue([note(), hangupAction(), talk()]))
      .then([
        queued([note(), hangupAction(), talk()]),
        started(note()),
        message('system', 'VIP customer', { actionId: 'act-note' }),
        finished(note()),
        started(hangupAction()),
        finished(hangupAction()),
        {
          type: 'CallHangupRequested',
          data: { callId: CALL_ID, status: 'terminating', hangupReason: 'normal', endTime: null, at: T_ACT },
        },
      ]);
  });

  it('record_start waits for the recording feature to finish it (format wav by default)', () => {
    const record = { id: 'rec-1', type: 'record_start' as const, option: { format: 'wav' } };
    call
      .given(answeredCall)
      .when(queue([{ ...record, option: {} }]))
      .then([queued([record]), started(record)]);
  });

  it('an action queued behind a running one waits for its end', () => {
    call
      .given([...answeredCall, queued([talk()]), started(talk())])
      .when(queue([play()]))
      .then([queued([play()])]);
  });

  it('the media layer finishing the running action starts the next one', () => {
    call
      .given([...answeredCall, queued([talk(), play()]), started(talk())])
      .when(media('action_finished', { actionId: 'act-talk', signalId: 'm-1' }))
      .then([finished(talk(), 'done', { at: T_ACT_END, signalId: 'm-1' }), started(play(), T_ACT_END)]);
  });

  it('records when the media layer began playing; a repeat or a stale action id decides nothing', () => {
    const history = [...answeredCall, queued([play()]), started(play())];
    call
      .given(history)
      .when(media('action_started', { actionId: 'act-play', signalId: 'm-s' }))
      .then([
        {
          type: 'CallActionMediaStarted',
          data: { callId: CALL_ID, actionId: 'act-play', signalId: 'm-s', at: T_ACT_END },
        },
      ]);
    call
      .given(history)
      .when(media('action_finished', { actionId: 'other', signalId: 'm-x' }))
      .thenNothing();
    call
      .given([...history, finished(play(), 'done', { signalId: 'm-f' })])
      .when(media('action_finished', { actionId: 'act-play', signalId: 'm-f' }))
      .thenNothing();
  });

  it('a call that ends while a talk runs ends the talk too (failed, reason hangup)', () => {
    const history = [...answeredCall, queued([talk()]), started(talk())];
    const [hungUp, ...rest] = callDecider.decide(
      signal('hangup', { signalId: 'sig-h', at: T_ACT_END }),
      history.reduce(callDecider.evolve, callDecider.initialState),
    );
    expect(hungUp.type).toBe('CallHungUp');
    expect(rest).toEqual([finished(talk(), 'failed', { at: T_ACT_END, reason: 'hangup' })]);
  });

  it('actions made with the call wait for the answer and start with it', () => {
    call
      .given([created(), queued([talk()], T0)])
      .when(signal('answered', { signalId: 'sig-a', at: T_ANSWER }))
      .then([
        answered('sig-a', T_ANSWER),
        started(talk(), T_ANSWER),
        message('assistant', 'Hello there', { actionId: 'act-talk' }, T_ANSWER),
      ]);
  });

  it('MakeCall with actions queues them beside the creation; a retry queues nothing', () => {
    const make = makeCall({ actions: [talk()] });
    const creation = [...callDecider.decide(makeCall(), callDecider.initialState)];
    call
      .given([])
      .when(make)
      .then([...creation, queued([talk()], T0)]);
    call
      .given([...creation, queued([talk()], T0)])
      .when(make)
      .thenNothing();
  });

  it('fills in talk defaults and refuses a bad option (422 naming it)', () => {
    call
      .given(answeredCall)
      .when(queue([{ id: 'a', type: 'talk', option: { text: 'Hi' } }]))
      .then([
        queued([{ id: 'a', type: 'talk', option: { text: 'Hi', gender: 'female', language: 'en-US' } }]),
        started({ id: 'a', type: 'talk', option: { text: 'Hi', gender: 'female', language: 'en-US' } }),
        message('assistant', 'Hi', { actionId: 'a' }),
      ]);
    call
      .given(answeredCall)
      .when(queue([{ id: 'a', type: 'play', option: { url: 'ftp://x' } }]))
      .thenRejects('call.invalid_action', { field: 'actions[0].option' });
  });
});

describe('call actions: the 409 rules', () => {
  it.each([
    ['dialing', 'call.not_answered'],
    ['ringing', 'call.not_answered'],
    ['terminating', 'call.ending'],
    ['canceling', 'call.ending'],
    ['hangup', 'call.ending'],
  ] as const)('refuses actions on a %s call with %s', (status, code) => {
    call
      .given(historyIn[status])
      .when(queue([talk()]))
      .thenRejects(code, { status });
  });

  it('a foreign tenant gets call.not_found', () => {
    call
      .given(answeredCall)
      .when(asCustomer(OTHER_CUSTOMER, queue([talk()])))
      .thenRejects('call.not_found');
  });

  it('control signals before the answer contradict the record; after the hangup they are late', () => {
    call
      .given(historyIn.ringing)
      .when(media('speech', { text: 'hello?' }))
      .thenRejects('call.not_answered');
    call
      .given(historyIn.hangup)
      .when(media('speech', { text: 'hello?' }))
      .thenNothing();
  });
});

describe('FinishCallAction (the runner, or another feature that carried an action out)', () => {
  const finish = (actionId: string, outcome: 'done' | 'failed', reason: string | null = null) => ({
    type: 'FinishCallAction' as const,
    data: { callId: CALL_ID, customerId: 'customer-a', at: T_ACT_END, actionId, outcome, reason },
  });

  it('ends the running action with its outcome and starts the next; another id decides nothing', () => {
    const history = [...answeredCall, queued([play(), talk()]), started(play())];
    call
      .given(history)
      .when(finish('act-play', 'failed', 'not found'))
      .then([
        finished(play(), 'failed', { at: T_ACT_END, reason: 'not found' }),
        started(talk(), T_ACT_END),
        message('assistant', 'Hello there', { actionId: 'act-talk' }, T_ACT_END),
      ]);
    call.given(history).when(finish('act-talk', 'done')).thenNothing();
  });

  it('at most 50 actions wait (409 call.too_many_actions)', () => {
    const many = Array.from({ length: 51 }, (_, i) => talk(`t-${i}`));
    call.given(answeredCall).when(queue(many)).thenRejects('call.too_many_actions');
  });
});

describe('messages: user speech', () => {
  it('adds a user turn; the same signal id again decides nothing, another kind is a 422', () => {
    const speech = media('speech', { text: 'Hi, can you hear me?', signalId: 'sp-1' });
    const turn = message('user', 'Hi, can you hear me?', { signalId: 'sp-1' }, T_ACT_END);
    call.given(answeredCall).when(speech).then([turn]);
    call
      .given([...answeredCall, turn])
      .when(speech)
      .thenNothing();
    call
      .given([...answeredCall, turn])
      .when(media('amd', { result: 'human', signalId: 'sp-1' }))
      .thenRejects('call.signal_id_reused');
  });

  it('speech without text is a 422', () => {
    call.given(answeredCall).when(media('speech', {})).thenRejects('call.invalid_signal', { field: 'text' });
  });
});
