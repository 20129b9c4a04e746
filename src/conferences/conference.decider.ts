import { assertNever, type Decider } from '../domain/decider';
import { invalid, notFound, ruleViolated } from '../domain/domain-error';
import { plusSeconds } from '../domain/instants';
import type { JsonObject } from '../event-store/event-store';
import {
  type ConferenceRecordingCommand,
  decideConferenceRecording,
} from '../recordings/conference-recording';
import {
  type Conference,
  type ConferenceAction,
  type ConferenceEndReason,
  type ConferenceEvent,
  type ConferenceState,
  type ConferenceTimer,
  type ConferenceType,
  conferencecallIdsOf,
  evolveConference,
  initialConferenceState,
} from './conference';

/**
 * Every command names its conference and its tenant (`customerId`): a conference of another tenant answers
 * `conference.not_found`, exactly like an unknown id, so ids cannot be probed. `at` is the ISO time the
 * command happened, from the handler's clock (or the timer's firing time).
 */
type ConferenceRef = { conferenceId: string; customerId: string; at: string };

export type CreateConference = {
  type: 'CreateConference';
  data: ConferenceRef & {
    conferenceType: ConferenceType;
    name?: string;
    detail?: string;
    data?: JsonObject;
    /** Seconds from creation; 0 or absent = none. */
    timeout?: number;
    /** null or absent = unlimited. */
    maxParticipants?: number | null;
    preActions?: ConferenceAction[];
    postActions?: ConferenceAction[];
  };
};
/** Absent fields keep their value; `maxParticipants: null` lifts the limit; `timeout: 0` cancels it. */
export type UpdateConference = {
  type: 'UpdateConference';
  data: ConferenceRef & { name?: string; detail?: string; timeout?: number; maxParticipants?: number | null };
};
export type StopConference = { type: 'StopConference'; data: ConferenceRef };
/** Sent by the timer worker when `conference_timeout` fires (see `conferenceTimerCommand`). */
export type ExpireConferenceTimeout = { type: 'ExpireConferenceTimeout'; data: ConferenceRef };
/** Step 2 of the join process (see conferencecall.decider.ts): status and capacity, under this revision. */
export type AdmitParticipant = {
  type: 'AdmitParticipant';
  data: ConferenceRef & { conferencecallId: string; callId: string };
};
/** The participant left (its conferencecall reached `leaved`) or its admission was rolled back. */
export type RemoveParticipant = {
  type: 'RemoveParticipant';
  data: ConferenceRef & { conferencecallId: string };
};

export type ConferenceCommand =
  | CreateConference
  | UpdateConference
  | StopConference
  | ExpireConferenceTimeout
  | AdmitParticipant
  | RemoveParticipant
  | ConferenceRecordingCommand;

export function decideConference(command: ConferenceCommand, state: ConferenceState): ConferenceEvent[] {
  if (command.type === 'CreateConference') return create(command.data, state);
  const conference = existing(command.data, state);
  const { at } = command.data;
  switch (command.type) {
    case 'UpdateConference':
      return update(command.data, conference);
    case 'StopConference':
      return terminate(conference, 'stopped', at);
    case 'ExpireConferenceTimeout': {
      // A firing for a due time since moved later (or cancelled) is stale: do nothing.
      const due = conference.timeoutAt !== null && Date.parse(at) >= Date.parse(conference.timeoutAt);
      return due ? terminate(conference, 'timeout', at) : [];
    }
    case 'AdmitParticipant':
      return admit(command.data, conference);
    case 'RemoveParticipant':
      return remove(command.data, conference);
    case 'StartConferenceRecording':
    case 'StopConferenceRecording':
      return decideConferenceRecording(command, conference);
    default:
      return assertNever(command);
  }
}

export const conferenceDecider: Decider<ConferenceCommand, ConferenceEvent, ConferenceState> = {
  decide: decideConference,
  evolve: evolveConference,
  initialState: initialConferenceState,
};

function existing(ref: ConferenceRef, state: ConferenceState): Conference {
  if (state === null || state.customerId !== ref.customerId)
    throw notFound('conference.not_found', `Conference ${ref.conferenceId} not found`, {
      conferenceId: ref.conferenceId,
    });
  return state;
}

/** The command a due timer sends when it fires at `at`. */
export function conferenceTimerCommand(
  timer: ConferenceTimer,
  conference: Pick<Conference, 'id' | 'customerId'>,
  at: string,
): ConferenceCommand {
  const data = { conferenceId: conference.id, customerId: conference.customerId, at };
  switch (timer.kind) {
    case 'conference_timeout':
      return { type: 'ExpireConferenceTimeout', data };
    default:
      return assertNever(timer.kind);
  }
}

function create(command: CreateConference['data'], state: ConferenceState): ConferenceEvent[] {
  if (state !== null)
    throw ruleViolated('conference.already_exists', `Conference ${command.conferenceId} already exists`, {
      status: state.status,
    });
  const timeout = validTimeout(command.timeout ?? 0);
  const maxParticipants = validMaxParticipants(command.maxParticipants ?? null);
  return [
    {
      type: 'ConferenceCreated',
      data: {
        conferenceId: command.conferenceId,
        customerId: command.customerId,
        conferenceType: command.conferenceType,
        name: command.name ?? '',
        detail: command.detail ?? '',
        data: command.data ?? {},
        timeout,
        timeoutAt: timeoutAt(command.at, timeout),
        maxParticipants,
        preActions: command.preActions ?? [],
        postActions: command.postActions ?? [],
        at: command.at,
      },
    },
  ];
}

function update(command: UpdateConference['data'], conference: Conference): ConferenceEvent[] {
  const timeout = validTimeout(command.timeout ?? conference.timeout);
  const maxParticipants = validMaxParticipants(
    command.maxParticipants === undefined ? conference.maxParticipants : command.maxParticipants,
  );
  if (conference.status !== 'progressing')
    throw ruleViolated('conference.not_active', `Conference is ${conference.status}`, {
      status: conference.status,
    });
  const name = command.name ?? conference.name;
  const detail = command.detail ?? conference.detail;
  const unchanged =
    name === conference.name &&
    detail === conference.detail &&
    timeout === conference.timeout &&
    maxParticipants === conference.maxParticipants;
  if (unchanged) return [];
  // Counted from creation, so an update moves the due time instead of restarting the clock; a due time
  // already past makes the (replaced) timer fire at once.
  const due = timeoutAt(conference.tmCreate, timeout);
  const data = { conferenceId: conference.id, name, detail, timeout, timeoutAt: due, maxParticipants };
  return [{ type: 'ConferenceUpdated', data: { ...data, at: command.at } }];
}

function admit(command: AdmitParticipant['data'], conference: Conference): ConferenceEvent[] {
  const { conferencecallId, callId, at } = command;
  const status = conference.status;
  const same = conference.participants.find((p) => p.conferencecallId === conferencecallId);
  if (same) {
    if (same.callId === callId) return []; // a retried step of the join process
    const details = { status, conferencecallId };
    throw ruleViolated('conference.participant_conflict', 'Admitted for another call', details);
  }
  if (status !== 'progressing')
    throw ruleViolated('conference.not_accepting_joins', `Conference is ${status}`, { status });
  const other = conference.participants.find((p) => p.callId === callId);
  if (other)
    throw ruleViolated('conference.call_already_participant', `Call ${callId} is already a participant`, {
      status,
      conferencecallId: other.conferencecallId,
    });
  const { maxParticipants } = conference;
  if (maxParticipants !== null && conference.participants.length >= maxParticipants)
    throw ruleViolated('conference.full', `Conference has ${maxParticipants} participants`, {
      status,
      maxParticipants,
      participants: conference.participants.length,
    });
  return [
    {
      type: 'ConferenceParticipantAdmitted',
      data: { conferenceId: conference.id, conferencecallId, callId, at },
    },
  ];
}

function remove(command: RemoveParticipant['data'], conference: Conference): ConferenceEvent[] {
  const participant = conference.participants.find((p) => p.conferencecallId === command.conferencecallId);
  if (!participant) return []; // already removed, or never admitted (a rolled-back join)
  const removed: ConferenceEvent = {
    type: 'ConferenceParticipantRemoved',
    data: { conferenceId: conference.id, ...participant, at: command.at },
  };
  const after = evolveConference(conference, removed) as Conference;
  switch (after.status) {
    case 'progressing': {
      // `connect` bridges calls: once two were in, losing one ends it. Before that it waits for the second.
      const connectBroken =
        after.type === 'connect' && after.peakParticipants >= 2 && after.participants.length < 2;
      return connectBroken ? [removed, ...terminate(after, 'last_participant_left', command.at)] : [removed];
    }
    case 'terminating':
      // The last participant of a terminating conference is gone: it is over, in the same decision.
      return after.participants.length === 0
        ? [removed, terminated(after, after.endReason ?? 'stopped', command.at)]
        : [removed];
    case 'terminated':
      return [removed]; // unreachable: terminated conferences are empty
    default:
      return assertNever(after.status);
  }
}

/**
 * Stop with a reason. With participants: `terminating`, and a saga kicks each of them; the last removal
 * terminates it. Without participants: `terminated` at once, so an empty conference never waits in
 * `terminating` for a removal that will not come. Already ending: nothing to do.
 */
function terminate(conference: Conference, reason: ConferenceEndReason, at: string): ConferenceEvent[] {
  switch (conference.status) {
    case 'progressing':
      if (conference.participants.length === 0) return [terminated(conference, reason, at)];
      return [
        {
          type: 'ConferenceTerminationStarted',
          data: {
            conferenceId: conference.id,
            reason,
            conferencecallIds: conferencecallIdsOf(conference),
            at,
          },
        },
      ];
    case 'terminating':
    case 'terminated':
      return [];
    default:
      return assertNever(conference.status);
  }
}

const terminated = (conference: Conference, reason: ConferenceEndReason, at: string): ConferenceEvent => ({
  type: 'ConferenceTerminated',
  data: { conferenceId: conference.id, reason, at },
});

function timeoutAt(from: string, timeout: number): string | null {
  return timeout === 0 ? null : plusSeconds(from, timeout);
}

function validTimeout(timeout: number): number {
  if (!Number.isInteger(timeout) || timeout < 0)
    throw invalid('conference.invalid_timeout', 'timeout must be a whole number of seconds, 0 or more', {
      timeout,
    });
  return timeout;
}

function validMaxParticipants(max: number | null): number | null {
  if (max !== null && (!Number.isInteger(max) || max < 1))
    throw invalid('conference.invalid_max_participants', 'Must be null or a whole number ≥ 1', {
      maxParticipants: max,
    });
  return max;
}
