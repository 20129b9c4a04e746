import type { DomainEvent } from '../domain/decider';
import { assertNever } from '../domain/decider';
import type { JsonObject } from '../event-store/event-store';
import type { ConferenceRecordingEvent } from '../recordings/conference-recording';
import { slotAfterStart, slotAfterStop } from '../recordings/recording-slot';

export type {
  ConferenceRecordingStarted,
  ConferenceRecordingStopped,
} from '../recordings/conference-recording';

/**
 * The conference aggregate (VoIPBIN's Conference, seed 004): events, state and evolve. Pure.
 *
 * Status: VoIPBIN shows `starting` before `progressing`. Here a conference is created straight as
 * `progressing`: the media gateway builds its bridge when the first call joins, so there is nothing to wait
 * for, and a status that is never reached would only add dead branches to every switch. API views may still
 * list `starting` in their enum for compatibility; no event produces it.
 */
export type ConferenceType = 'conference' | 'connect';
export type ConferenceStatus = 'progressing' | 'terminating' | 'terminated';
/** Why it ended. `last_participant_left`: a `connect` conference dropped below two after having had two. */
export type ConferenceEndReason = 'stopped' | 'timeout' | 'last_participant_left';

/**
 * A flow action handed to the media gateway when a call joins (pre) or leaves (post), e.g.
 * `{ id, next_id, type: 'talk', option: { text } }`. Stored exactly as given; the DTO validates the shape.
 */
export type ConferenceAction = JsonObject & { type: string };

export interface ConferenceParticipant {
  conferencecallId: string;
  callId: string;
}

export interface Conference {
  id: string;
  customerId: string;
  type: ConferenceType;
  status: ConferenceStatus;
  name: string;
  detail: string;
  /** Reserved (seed 004); stored as given. */
  data: JsonObject;
  /** Seconds of lifetime counted from creation; 0 = no timeout. */
  timeout: number;
  /** When the timeout fires: tmCreate + timeout, null when timeout is 0. Decided once, kept in the events. */
  timeoutAt: string | null;
  /** null = unlimited. Lowering it below the current count kicks nobody; it only refuses new joins. */
  maxParticipants: number | null;
  preActions: readonly ConferenceAction[];
  postActions: readonly ConferenceAction[];
  /** Current participants in admission order (the seed's `conferencecall_ids`). */
  participants: readonly ConferenceParticipant[];
  /** Most participants at once so far: a `connect` conference only auto-ends after it has had two. */
  peakParticipants: number;
  /** The running recording and all of them (seed 004); see src/recordings/conference-recording.ts. */
  recordingId: string | null;
  recordingIds: readonly string[];
  endReason: ConferenceEndReason | null;
  tmCreate: string;
  tmUpdate: string;
  /** Set when terminated. */
  tmDelete: string | null;
}

/** null until created. */
export type ConferenceState = Conference | null;

export type ConferenceCreated = DomainEvent<
  'ConferenceCreated',
  {
    conferenceId: string;
    customerId: string;
    conferenceType: ConferenceType;
    name: string;
    detail: string;
    data: JsonObject;
    timeout: number;
    timeoutAt: string | null;
    maxParticipants: number | null;
    preActions: ConferenceAction[];
    postActions: ConferenceAction[];
    at: string;
  }
>;

/** Carries every updatable field with its new value, so projections need no merge logic. */
export type ConferenceUpdated = DomainEvent<
  'ConferenceUpdated',
  {
    conferenceId: string;
    name: string;
    detail: string;
    timeout: number;
    timeoutAt: string | null;
    maxParticipants: number | null;
    at: string;
  }
>;

export type ConferenceParticipantAdmitted = DomainEvent<
  'ConferenceParticipantAdmitted',
  { conferenceId: string; conferencecallId: string; callId: string; at: string }
>;

export type ConferenceParticipantRemoved = DomainEvent<
  'ConferenceParticipantRemoved',
  { conferenceId: string; conferencecallId: string; callId: string; at: string }
>;

/** Now `terminating`: a saga kicks each of `conferencecallIds` (the participants at this moment). */
export type ConferenceTerminationStarted = DomainEvent<
  'ConferenceTerminationStarted',
  { conferenceId: string; reason: ConferenceEndReason; conferencecallIds: string[]; at: string }
>;

export type ConferenceTerminated = DomainEvent<
  'ConferenceTerminated',
  { conferenceId: string; reason: ConferenceEndReason; at: string }
>;

export type ConferenceEvent =
  | ConferenceCreated
  | ConferenceUpdated
  | ConferenceParticipantAdmitted
  | ConferenceParticipantRemoved
  | ConferenceTerminationStarted
  | ConferenceTerminated
  | ConferenceRecordingEvent;

export const initialConferenceState: ConferenceState = null;

export function evolveConference(state: ConferenceState, event: ConferenceEvent): ConferenceState {
  if (event.type === 'ConferenceCreated') {
    const d = event.data;
    return {
      id: d.conferenceId,
      customerId: d.customerId,
      type: d.conferenceType,
      status: 'progressing',
      name: d.name,
      detail: d.detail,
      data: d.data,
      timeout: d.timeout,
      timeoutAt: d.timeoutAt,
      maxParticipants: d.maxParticipants,
      preActions: d.preActions,
      postActions: d.postActions,
      participants: [],
      peakParticipants: 0,
      recordingId: null,
      recordingIds: [],
      endReason: null,
      tmCreate: d.at,
      tmUpdate: d.at,
      tmDelete: null,
    };
  }
  // Any other event before creation cannot come from this decider; ignore it rather than crash a replay.
  if (state === null) return state;
  switch (event.type) {
    case 'ConferenceUpdated': {
      const { name, detail, timeout, timeoutAt, maxParticipants, at } = event.data;
      return { ...state, name, detail, timeout, timeoutAt, maxParticipants, tmUpdate: at };
    }
    case 'ConferenceParticipantAdmitted': {
      const { conferencecallId, callId, at } = event.data;
      const participants = [...state.participants, { conferencecallId, callId }];
      const peakParticipants = Math.max(state.peakParticipants, participants.length);
      return { ...state, participants, peakParticipants, tmUpdate: at };
    }
    case 'ConferenceParticipantRemoved': {
      const { conferencecallId, at } = event.data;
      const participants = state.participants.filter((p) => p.conferencecallId !== conferencecallId);
      return { ...state, participants, tmUpdate: at };
    }
    case 'ConferenceTerminationStarted':
      return { ...state, status: 'terminating', endReason: event.data.reason, tmUpdate: event.data.at };
    case 'ConferenceTerminated':
      return {
        ...state,
        status: 'terminated',
        endReason: event.data.reason,
        tmUpdate: event.data.at,
        tmDelete: event.data.at,
      };
    case 'ConferenceRecordingStarted': {
      const slot = slotAfterStart(state, event.data.recordingId);
      return { ...state, ...slot, tmUpdate: event.data.at };
    }
    case 'ConferenceRecordingStopped': {
      const slot = slotAfterStop(state, event.data.recordingId);
      return { ...state, ...slot, tmUpdate: event.data.at };
    }
    default:
      return assertNever(event);
  }
}

/** The seed's `conferencecall_ids`. */
export const conferencecallIdsOf = (conference: Conference): string[] =>
  conference.participants.map((p) => p.conferencecallId);

export interface ConferenceTimer {
  kind: 'conference_timeout';
  dueAt: string;
}

/**
 * Timers this state wants, derived from state alone. The scheduler keys timers by (stream, kind): an
 * updated timeout replaces the due time, never adds a second timer, and an empty list cancels it. A firing
 * that raced with an update is still safe: `ExpireConferenceTimeout` re-checks the due time.
 */
export function dueConferenceTimers(state: ConferenceState): ConferenceTimer[] {
  if (state === null || state.status !== 'progressing' || state.timeoutAt === null) return [];
  return [{ kind: 'conference_timeout', dueAt: state.timeoutAt }];
}
