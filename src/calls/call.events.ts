import type { DomainEvent } from '../domain/decider';
import type { JsonObject } from '../event-store/event-store';
import type { CallRecordingEvent } from '../recordings/call-recording';
import type { CallControlEvent } from './call-control.events';

export type { CallRecordingStarted, CallRecordingStopped } from '../recordings/call-recording';

/**
 * The call aggregate's vocabulary (VoIPBIN's Call, seed 003) and its events. State and evolve are in
 * `call.ts` (which re-exports all of this); commands and `decide` in `call.decider.ts`.
 *
 * Event data is plain JSON (ISO-8601 strings for time, `null` for "absent") because it is stored as is and
 * read back by projections written long after: event names and fields are stable forever.
 */

/** `dialing → ringing → progressing → terminating → hangup`, `dialing|ringing → canceling → hangup`. */
export type CallStatus = 'dialing' | 'ringing' | 'progressing' | 'terminating' | 'canceling' | 'hangup';
export type CallType = 'voice' | 'video';
export type CallDirection = 'outgoing' | 'incoming';
/** Which end sent the hangup request first (seed 003). */
export type HangupBy = 'local' | 'remote';
export type HangupReason =
  | 'normal'
  | 'failed'
  | 'busy'
  | 'cancel'
  | 'timeout'
  | 'noanswer'
  | 'dialout'
  | 'amd';
/** What a media layer reports about a call leg. */
export type CallSignal = 'ringing' | 'answered' | 'busy' | 'no_answer' | 'rejected' | 'failed' | 'hangup';
export const CALL_SIGNALS: readonly CallSignal[] = [
  'ringing',
  'answered',
  'busy',
  'no_answer',
  'rejected',
  'failed',
  'hangup',
];

/** A seed-003 address. Absent texts are '' as in the seed, so every stored address has the same shape. */
export type CallAddress = {
  type: 'tel' | 'sip' | 'agent' | 'extension';
  target: string;
  targetName: string;
  name: string;
  detail: string;
};

export type ConferenceMembership = { conferenceId: string; conferencecallId: string };

// --- inbound calls (numbers) ---------------------------------------------------------------------------
/**
 * How an incoming call came in: the registration of the number it called, and that number's routing as it
 * stood when the call arrived (a later change of the number does not reroute a call already ringing).
 * `actions` are stored as the number gave them; running them is call control's.
 */
export type InboundFacts = {
  numberId: string;
  phoneNumber: string;
  onIncoming: 'ring' | 'answer' | 'join_conference';
  conferenceId: string | null;
  actions: { type: string; option: JsonObject }[];
};
// --- end inbound calls ---------------------------------------------------------------------------------

export type CallCreated = DomainEvent<
  'CallCreated',
  {
    callId: string;
    customerId: string;
    type: CallType;
    direction: CallDirection;
    source: CallAddress | null;
    destination: CallAddress;
    contactId: string | null;
    userId: string | null;
    masterCallId: string | null;
    metadata: JsonObject;
    dialTimeoutSec: number;
    maxDurationSec: number;
    /** Per-call status callback (absent without one, and in events stored before it existed). */
    statusCallback?: string;
    statusCallbackEvents?: string[];
    // --- seed 001 parties (issue 12 §6) ---
    /** The agent handling the call (seed 001 `agent_id`); null when none was named. Absent in old events. */
    agentId: string | null;
    /** The phone (number) the call was made or received on (seed 001 `phone_id`); null when unknown. */
    phoneId: string | null;
    // --- end seed 001 parties ---
    at: string;
    // --- inbound calls (numbers): absent on outgoing calls and on events stored before numbers existed.
    inbound?: InboundFacts | null;
  }
>;
export type CallRinging = DomainEvent<'CallRinging', { callId: string; signalId: string; at: string }>;
export type CallAnswered = DomainEvent<'CallAnswered', { callId: string; signalId: string; at: string }>;
/**
 * We decided to end the call (user, dial timeout or max duration) and asked the media layer to hang up.
 * The call is `terminating` (after answer) or `canceling` (before) until the media layer confirms.
 */
export type CallHangupRequested = DomainEvent<
  'CallHangupRequested',
  {
    callId: string;
    status: 'terminating' | 'canceling';
    hangupReason: HangupReason;
    /** The client's own end time (seed 000 PATCH `end_time`), if it gave one. */
    endTime: string | null;
    at: string;
  }
>;
/**
 * The call is over. Carries what readers of the end need without loading the stream: the final reason,
 * the media layer's raw cause, and the conference and chained calls it had (for the auto-leave and
 * chained-hangup sagas).
 */
export type CallHungUp = DomainEvent<
  'CallHungUp',
  {
    callId: string;
    hangupBy: HangupBy;
    hangupReason: HangupReason;
    rawCause: string | null;
    /** The media signal that ended the call; null when a timer forced the end. */
    signal: CallSignal | null;
    signalId: string | null;
    at: string;
    endTime: string;
    /** Talk time in whole seconds, from answer to end time; 0 if never answered. */
    durationSec: number;
    conference: ConferenceMembership | null;
    chainedCallIds: string[];
  }
>;
export type CallAssignedToConference = DomainEvent<
  'CallAssignedToConference',
  { callId: string; conferenceId: string; conferencecallId: string; at: string }
>;
export type CallReleasedFromConference = DomainEvent<
  'CallReleasedFromConference',
  { callId: string; conferenceId: string; conferencecallId: string; at: string }
>;
export type CallChained = DomainEvent<'CallChained', { callId: string; chainedCallId: string; at: string }>;

export type CallEvent =
  | CallCreated
  | CallRinging
  | CallAnswered
  | CallHangupRequested
  | CallHungUp
  | CallAssignedToConference
  | CallReleasedFromConference
  | CallChained
  // Call control and AMD (`call-control.events.ts`).
  | CallControlEvent
  // --- recording (issue 12 §2) ---
  | CallRecordingEvent;
