import { assertNever } from '../domain/decider';
import { withEntry } from '../domain/with-entry';
import type { JsonObject } from '../event-store/event-store';
import { slotAfterStart, slotAfterStop } from '../recordings/recording-slot';
import type {
  CallAddress,
  CallCreated,
  CallDirection,
  CallEvent,
  CallSignal,
  CallStatus,
  CallType,
  ConferenceMembership,
  HangupBy,
  HangupReason,
  InboundFacts,
} from './call.events';
import {
  type CallControl,
  controlOf,
  evolveControl,
  INITIAL_CONTROL,
  isCallControlEvent,
} from './call-control';

export * from './call.events';

/**
 * The call aggregate (VoIPBIN's Call, seed 003): state and evolve. Events are in `call.events.ts`,
 * commands and `decide` in `call.decider.ts`, media signals in `call-signals.ts`, timers in `call-timers.ts`.
 */

/** Everything seeds 000, 001 and 003 show about a call, plus what the rules and timers need. */
export type Call = {
  id: string;
  customerId: string;
  status: CallStatus;
  type: CallType;
  direction: CallDirection;
  source: CallAddress | null;
  destination: CallAddress;
  contactId: string | null;
  userId: string | null;
  masterCallId: string | null;
  chainedCallIds: string[];
  metadata: JsonObject;
  /** The running recording (seed 003 `recording_id`) and all of them; see src/recordings/call-recording.ts. */
  recordingId: string | null;
  recordingIds: string[];
  /** Set when the end is decided (at `terminating`/`canceling` for local ends), final at `hangup`. */
  hangupBy: HangupBy | null;
  hangupReason: HangupReason | null;
  rawCause: string | null;
  tmCreate: string;
  tmRinging: string | null;
  tmProgressing: string | null;
  /** When we asked the media layer to hang up; the hangup-confirmation timer counts from here. */
  tmHangupRequested: string | null;
  tmHangup: string | null;
  tmUpdate: string;
  /** Seed 000: the call starts when it is created (its make-call response already shows start_time). */
  startTime: string;
  /** The client's end_time if it gave one, else the hangup time. Null until hangup. */
  endTime: string | null;
  requestedEndTime: string | null;
  durationSec: number | null;
  conference: ConferenceMembership | null;
  /** signal id → signal, for idempotent signal delivery. Kept whole: a call sees a handful of signals. */
  appliedSignals: Record<string, CallSignal>;
  dialTimeoutSec: number;
  maxDurationSec: number;
  // --- call control (actions, messages, transfer, AMD): `call-control.ts` ---
  control: CallControl;
  // --- inbound calls (numbers): null for every call not received through a registered number.
  inbound: InboundFacts | null;
  /** Per-call status callback: where and which call events go (src/webhooks/call-callbacks). */
  statusCallback?: string;
  statusCallbackEvents?: string[];
  // --- seed 001 parties (issue 12 §6) ---
  agentId: string | null;
  phoneId: string | null;
  // --- end seed 001 parties ---
};

export type NoCall = { status: 'none' };
export type CallState = NoCall | Call;

export const initialState: CallState = { status: 'none' };

export function isCall(state: CallState): state is Call {
  return state.status !== 'none';
}

export function evolve(state: CallState, event: CallEvent): CallState {
  if (event.type === 'CallCreated') return created(event.data);
  // Events never precede their call's creation in a stream; ignoring keeps evolve total.
  if (!isCall(state)) return state;
  const call: Call = state;
  // Every event touches the call. Each case copies the state once, with `tmUpdate` set in the same literal
  // (copying it first for `tmUpdate` and again for the case doubled the cost of evolve in a rebuild).
  const tmUpdate = event.data.at;
  // --- call control: its own state, its own evolve ---
  if (isCallControlEvent(event)) return { ...call, tmUpdate, control: evolveControl(controlOf(call), event) };
  switch (event.type) {
    case 'CallRinging':
      return {
        ...call,
        tmUpdate,
        status: 'ringing',
        tmRinging: event.data.at,
        appliedSignals: applied(call, event.data.signalId, 'ringing'),
      };
    case 'CallAnswered':
      return {
        ...call,
        tmUpdate,
        status: 'progressing',
        tmProgressing: event.data.at,
        appliedSignals: applied(call, event.data.signalId, 'answered'),
      };
    case 'CallHangupRequested':
      return {
        ...call,
        tmUpdate,
        status: event.data.status,
        hangupBy: 'local',
        hangupReason: event.data.hangupReason,
        requestedEndTime: event.data.endTime,
        tmHangupRequested: event.data.at,
      };
    case 'CallHungUp': {
      const { signalId, signal } = event.data;
      return {
        ...call,
        tmUpdate,
        status: 'hangup',
        hangupBy: event.data.hangupBy,
        hangupReason: event.data.hangupReason,
        rawCause: event.data.rawCause,
        tmHangup: event.data.at,
        endTime: event.data.endTime,
        durationSec: event.data.durationSec,
        // A hung-up call is in no conference: the conference's auto-leave saga reads it from the event.
        conference: null,
        appliedSignals: signalId && signal ? applied(call, signalId, signal) : call.appliedSignals,
      };
    }
    case 'CallAssignedToConference':
      return {
        ...call,
        tmUpdate,
        conference: { conferenceId: event.data.conferenceId, conferencecallId: event.data.conferencecallId },
      };
    case 'CallReleasedFromConference':
      return { ...call, tmUpdate, conference: null };
    case 'CallChained':
      return { ...call, tmUpdate, chainedCallIds: [...call.chainedCallIds, event.data.chainedCallId] };
    // --- recording (issue 12 §2) ---
    case 'CallRecordingStarted': {
      const slot = slotAfterStart(call, event.data.recordingId);
      return { ...call, tmUpdate, recordingId: slot.recordingId, recordingIds: [...slot.recordingIds] };
    }
    case 'CallRecordingStopped': {
      const slot = slotAfterStop(call, event.data.recordingId);
      return { ...call, tmUpdate, recordingId: slot.recordingId, recordingIds: [...slot.recordingIds] };
    }
    // --- end recording ---
    default:
      return assertNever(event);
  }
}

function created(data: CallCreated['data']): Call {
  return {
    id: data.callId,
    customerId: data.customerId,
    status: 'dialing',
    type: data.type,
    direction: data.direction,
    source: data.source,
    destination: data.destination,
    contactId: data.contactId,
    userId: data.userId,
    masterCallId: data.masterCallId,
    chainedCallIds: [],
    metadata: data.metadata,
    recordingId: null,
    recordingIds: [],
    hangupBy: null,
    hangupReason: null,
    rawCause: null,
    tmCreate: data.at,
    tmRinging: null,
    tmProgressing: null,
    tmHangupRequested: null,
    tmHangup: null,
    tmUpdate: data.at,
    startTime: data.at,
    endTime: null,
    requestedEndTime: null,
    durationSec: null,
    conference: null,
    appliedSignals: {},
    dialTimeoutSec: data.dialTimeoutSec,
    maxDurationSec: data.maxDurationSec,
    control: INITIAL_CONTROL,
    inbound: data.inbound ?? null, // inbound calls (numbers)
    ...(data.statusCallback === undefined
      ? {}
      : { statusCallback: data.statusCallback, statusCallbackEvents: data.statusCallbackEvents }),
    // --- seed 001 parties (issue 12 §6): events written before these fields existed have neither ---
    agentId: data.agentId ?? null,
    phoneId: data.phoneId ?? null,
    // --- end seed 001 parties ---
  };
}

function applied(call: Call, signalId: string, signal: CallSignal): Record<string, CallSignal> {
  return withEntry(call.appliedSignals, signalId, signal);
}
