import type { StreamType } from '../command-handling/stream-type';
import { notFound } from '../domain/domain-error';
import { USAGE } from '../usage/usage-read-model-name';
import {
  CONFERENCECALL_STREAM_PREFIX,
  type Conferencecall,
  type ConferencecallEvent,
  type ConferencecallState,
  type ConferencecallTimer,
  dueConferencecallTimers,
} from './conferencecall';
import {
  type ConferencecallCommand,
  conferencecallDecider,
  conferencecallTimerCommand,
} from './conferencecall.decider';
import { CONFERENCE_READ_MODELS } from './conferences-read-model/conference-read-models';

/** The participant stream type: `conferencecall-<id>`, owned by the tenant of its conference and call. */
export const conferencecallStream: StreamType<
  ConferencecallCommand,
  ConferencecallEvent,
  ConferencecallState
> = {
  streamPrefix: CONFERENCECALL_STREAM_PREFIX,
  decider: conferencecallDecider,
  ownerOf: (state) => state?.customerId ?? null,
  notFound: (conferencecallId) =>
    notFound('conferencecall.not_found', `Conferencecall ${conferencecallId} not found`, {
      conferencecallId,
    }),
  creates: (command) => command.type === 'StartJoining',
  // Usage (issue 12 §4) meters a participant's leave: read-your-writes for GET /v1/usage too.
  readModels: [...CONFERENCE_READ_MODELS, USAGE],
  timers: {
    name: 'conferencecall',
    dueTimers: dueConferencecallTimers,
    // A listed timer implies a participant: dueConferencecallTimers of the initial state is empty.
    command: (timer, state, at) =>
      conferencecallTimerCommand(timer as ConferencecallTimer, state as Conferencecall, at),
    finished: (state) => state?.status === 'leaved',
  },
};
