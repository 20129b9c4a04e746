import type { TimerSource } from '../../timers/timer-source';
import type { Conference, ConferenceEvent, ConferenceState, ConferenceTimer } from '../conference';
import { dueConferenceTimers } from '../conference';
import { type ConferenceCommand, conferenceDecider, conferenceTimerCommand } from '../conference.decider';
import { CONFERENCE_STREAM_PREFIX } from '../conference-stream';

/**
 * The conference's durable timeout, as the pure domain derives it (`dueConferenceTimers`): one timer per
 * conference, replaced (not added) when PUT moves the timeout, gone when it is set to 0 or the conference
 * ends. A firing re-checks the due time (`ExpireConferenceTimeout`), so a stale one is a no-op.
 */
export const conferenceTimerSource: TimerSource<ConferenceCommand, ConferenceEvent, ConferenceState> = {
  name: 'conference',
  streamPrefix: CONFERENCE_STREAM_PREFIX,
  decider: conferenceDecider,
  dueTimers: dueConferenceTimers,
  // A listed timer implies a conference: dueConferenceTimers of the initial state is empty.
  command: (timer, state, at) => conferenceTimerCommand(timer as ConferenceTimer, state as Conference, at),
  finished: (state) => state?.status === 'terminated',
};
