import type { StreamType } from '../command-handling/stream-type';
import { notFound } from '../domain/domain-error';
import {
  type Conference,
  type ConferenceEvent,
  type ConferenceState,
  type ConferenceTimer,
  dueConferenceTimers,
} from './conference';
import { type ConferenceCommand, conferenceDecider, conferenceTimerCommand } from './conference.decider';
import { CONFERENCE_STREAM_PREFIX } from './conference-stream';
import { CONFERENCE_READ_MODELS } from './conferences-read-model/conference-read-models';

/** The conference stream type: `conference-<id>`, owned by the tenant that created it. */
export const conferenceStream: StreamType<ConferenceCommand, ConferenceEvent, ConferenceState> = {
  streamPrefix: CONFERENCE_STREAM_PREFIX,
  decider: conferenceDecider,
  ownerOf: (state) => state?.customerId ?? null,
  notFound: (conferenceId) =>
    notFound('conference.not_found', `Conference ${conferenceId} not found`, { conferenceId }),
  creates: (command) => command.type === 'CreateConference',
  readModels: CONFERENCE_READ_MODELS,
  timers: {
    // One timer per conference, replaced (not added) when PUT moves the timeout, gone when it is set to 0
    // or the conference ends. A firing re-checks the due time, so a stale one is a no-op.
    name: 'conference',
    dueTimers: dueConferenceTimers,
    // A listed timer implies a conference: dueConferenceTimers of the initial state is empty.
    command: (timer, state, at) => conferenceTimerCommand(timer as ConferenceTimer, state as Conference, at),
    finished: (state) => state?.status === 'terminated',
    // A created conference is never null again, and ConferenceTerminated makes any of them `terminated`.
    lifespan: { created: 'ConferenceCreated', ended: 'ConferenceTerminated' },
  },
};
