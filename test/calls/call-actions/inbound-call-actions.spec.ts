import type { CallCommand } from '../../../src/calls/call.decider';
import { callDecider } from '../../../src/calls/call.decider';
import { spec } from '../../support/decider-spec';
import { CALL_ID, CUSTOMER, T_ANSWER, T0 } from '../call-fixtures';
import { message, queued, started, talk } from './call-control-fixtures';

/** Call control on incoming calls: a number's actions are queued with the call and start when it is answered. */
const call = spec(callDecider);
const receive = (queuedActions: ReturnType<typeof talk>[]): CallCommand => ({
  type: 'ReceiveInboundCall',
  data: {
    callId: CALL_ID,
    customerId: CUSTOMER,
    from: '+821021656521',
    ringTimeoutSec: 20,
    at: T0,
    numberId: 'number-1',
    phoneNumber: '+31850835037',
    onIncoming: 'answer',
    conferenceId: null,
    actions: [{ type: 'talk', option: { text: 'Hello there' } }],
    queuedActions,
  },
});
const creation = [...callDecider.decide(receive([]), callDecider.initialState)];

describe('call control on incoming calls', () => {
  it('queues the runnable actions of the number beside the creation; unknown or invalid ones are skipped', () => {
    const unknown = { id: 'x', type: 'dance', option: {} } as unknown as ReturnType<typeof talk>;
    const invalid = { id: 'y', type: 'play' as const, option: { url: 'nope' } };
    call
      .given([])
      .when(receive([talk(), unknown, invalid]))
      .then([...creation, queued([talk()], T0)]);
  });

  it('the application answering the call starts them', () => {
    call
      .given([...creation, queued([talk()], T0)])
      .when({ type: 'AnswerCall', data: { callId: CALL_ID, customerId: CUSTOMER, at: T_ANSWER } })
      .then([
        expect.objectContaining({ type: 'CallAnswered' }),
        started(talk(), T_ANSWER),
        message('assistant', 'Hello there', { actionId: 'act-talk' }, T_ANSWER),
      ]);
  });
});
