import { callDecider } from '../../src/calls/call.decider';
import { fold } from '../../src/domain/decider';
import { spec } from '../support/decider-spec';
import {
  assign,
  assigned,
  CALL_ID,
  chain,
  chained,
  created,
  hangupRequested,
  historyIn,
  hungUp,
  makeCall,
  release,
  released,
  T_HANGUP_REQ,
  T_RING,
} from './call-fixtures';

describe('AssignConference: a call is in at most one conference at a time', () => {
  it('an answered call joins', () => {
    spec(callDecider).given(historyIn.progressing).when(assign()).then([assigned()]);
    expect(fold(callDecider, [...historyIn.progressing, assigned()])).toMatchObject({
      conference: { conferenceId: 'conf-1', conferencecallId: 'cc-1' },
    });
  });

  it('the exact same assignment again changes nothing', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned()])
      .when(assign())
      .thenNothing();
  });

  it('the exact same assignment again is still a no-op once the call is ending (a retried join)', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned(), hangupRequested('terminating', 'normal')])
      .when(assign())
      .thenNothing();
  });

  it('another conference is refused, naming the current one', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned()])
      .when(assign('conf-2', 'cc-2'))
      .thenRejects('call.already_in_conference', { conferenceId: 'conf-1', conferencecallId: 'cc-1' });
  });

  it('the same conference through another participant is refused too', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned()])
      .when(assign('conf-1', 'cc-2'))
      .thenRejects('call.already_in_conference', { conferenceId: 'conf-1', conferencecallId: 'cc-1' });
  });

  it.each(['dialing', 'ringing'] as const)(
    'a %s call has not been answered: refused naming its status',
    (status) => {
      spec(callDecider).given(historyIn[status]).when(assign()).thenRejects('call.not_answered', { status });
    },
  );

  it.each(['terminating', 'canceling', 'hangup'] as const)(
    'a %s call is ending: refused naming its status',
    (status) => {
      spec(callDecider).given(historyIn[status]).when(assign()).thenRejects('call.ending', { status });
    },
  );

  it('after a release the call may join another conference', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned(), released()])
      .when(assign('conf-2', 'cc-2'))
      .then([assigned('conf-2', 'cc-2')]);
  });
});

describe('ReleaseConference', () => {
  it('releases the current membership', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned()])
      .when(release())
      .then([released()]);
    expect(fold(callDecider, [...historyIn.progressing, assigned(), released()])).toMatchObject({
      conference: null,
    });
  });

  it('a repeated release changes nothing', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned(), released()])
      .when(release())
      .thenNothing();
  });

  it('a late release of an earlier membership leaves the current one alone', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned(), released(), assigned('conf-1', 'cc-2')])
      .when(release('conf-1', 'cc-1'))
      .thenNothing();
  });

  it('after hangup the call is in no conference, so a late release is a no-op (never an error)', () => {
    const inConference = hungUp({ conference: { conferenceId: 'conf-1', conferencecallId: 'cc-1' } });
    spec(callDecider)
      .given([...historyIn.progressing, assigned(), inConference])
      .when(release())
      .thenNothing();
  });

  it('is allowed while the call is ending', () => {
    spec(callDecider)
      .given([...historyIn.progressing, assigned(), hangupRequested('terminating', 'normal')])
      .when(release())
      .then([released()]);
  });
});

describe('ChainCall', () => {
  it.each(['dialing', 'ringing', 'progressing'] as const)(
    'a %s master records the chained call',
    (status) => {
      spec(callDecider)
        .given(historyIn[status])
        .when(chain())
        .then([chained('call-child', T_HANGUP_REQ)]);
    },
  );

  it('the master state lists chained calls in order', () => {
    const state = fold(callDecider, [...historyIn.ringing, chained('call-a'), chained('call-b')]);
    expect(state).toMatchObject({ chainedCallIds: ['call-a', 'call-b'] });
  });

  it('chaining the same call again changes nothing', () => {
    spec(callDecider)
      .given([...historyIn.ringing, chained()])
      .when(chain())
      .thenNothing();
  });

  it('a repeat is a no-op even once the master is ending: it was recorded before', () => {
    spec(callDecider)
      .given([...historyIn.ringing, chained('call-child', T_RING), hangupRequested('canceling', 'cancel')])
      .when(chain())
      .thenNothing();
  });

  it.each(['terminating', 'canceling', 'hangup'] as const)(
    'a %s master refuses new chained calls',
    (status) => {
      spec(callDecider).given(historyIn[status]).when(chain()).thenRejects('call.master_ending', { status });
    },
  );

  it('a call cannot be chained to itself', () => {
    spec(callDecider).given(historyIn.progressing).when(chain(CALL_ID)).thenRejects('call.invalid_chain');
  });

  it('a call made with a master records it', () => {
    spec(callDecider)
      .given([])
      .when(makeCall({ masterCallId: 'master-1' }))
      .then([created({ masterCallId: 'master-1' })]);
    expect(fold(callDecider, [created({ masterCallId: 'master-1' })])).toMatchObject({
      masterCallId: 'master-1',
    });
  });
});
