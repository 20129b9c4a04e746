import { callDecider } from '../../../src/calls/call.decider';
import { callView } from '../../../src/calls/call-view';
import { fold } from '../../../src/domain/decider';
import { created, makeCall } from '../../calls/call-fixtures';
import { spec } from '../../support/decider-spec';

const URL = 'https://crm.example.com/status';
const calls = spec(callDecider);

describe('MakeCall with a status callback', () => {
  it('records the URL and the chosen events on the created call', () => {
    calls
      .given([])
      .when(makeCall({ statusCallback: URL, statusCallbackEvents: ['call.hangup'] }))
      .then([created({ statusCallback: URL, statusCallbackEvents: ['call.hangup'] })]);
  });

  it('defaults to every call event (`call.*`, so types added later are included)', () => {
    calls
      .given([])
      .when(makeCall({ statusCallback: URL }))
      .then([created({ statusCallback: URL, statusCallbackEvents: ['call.*'] })]);
  });

  it('records nothing new for a call without one (events stored before keep their shape)', () => {
    calls
      .given([])
      .when(makeCall({ statusCallback: null }))
      .then([created()]);
  });

  it('refuses events without a URL', () => {
    calls
      .given([])
      .when(makeCall({ statusCallbackEvents: ['call.hangup'] }))
      .thenRejects('call.invalid_status_callback', { field: 'status_callback_events' });
  });

  it('a retry with the same callback is the same request; another callback is another request', () => {
    const first = created({ statusCallback: URL, statusCallbackEvents: ['call.*'] });
    calls
      .given([first])
      .when(makeCall({ statusCallback: URL }))
      .thenNothing();
    calls
      .given([first])
      .when(makeCall({ statusCallback: 'https://other.example.com/' }))
      .thenRejects('call.already_exists');
    calls.given([first]).when(makeCall()).thenRejects('call.already_exists');
  });

  it('the call view shows the callback, and null without one', () => {
    const withCallback = fold(callDecider, [
      created({ statusCallback: URL, statusCallbackEvents: ['call.*'] }),
    ]);
    const without = fold(callDecider, [created()]);
    if (withCallback.status === 'none' || without.status === 'none') throw new Error('no call');
    expect(callView(withCallback, 0n)).toMatchObject({
      status_callback: URL,
      status_callback_events: ['call.*'],
    });
    expect(callView(without, 0n)).toMatchObject({ status_callback: null, status_callback_events: null });
  });
});
