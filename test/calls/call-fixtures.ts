import type {
  CallAddress,
  CallAnswered,
  CallCreated,
  CallEvent,
  CallHangupRequested,
  CallHungUp,
  CallRinging,
  CallSignal,
  CallStatus,
  HangupReason,
} from '../../src/calls/call';
import type { CallCommand, MakeCall } from '../../src/calls/call.decider';

/** Fixed ids and instants shared by the call decider specs. */
export const CALL_ID = '00000000-0000-7000-8000-000000000001';
export const CUSTOMER = 'customer-a';
export const OTHER_CUSTOMER = 'customer-b';

export const T0 = '2026-01-01T00:00:00.000Z'; // created
export const T_RING = '2026-01-01T00:00:02.000Z';
export const T_ANSWER = '2026-01-01T00:00:05.000Z';
export const T_HANGUP_REQ = '2026-01-01T00:00:30.000Z';
export const T_END = '2026-01-01T00:00:35.000Z';
/** After every deadline of the fixtures (dial 60 s, max duration 1 h, confirmation 30 s). */
export const LATER = '2026-01-02T00:00:00.000Z';

export const agent = (target: string): CallAddress => ({
  type: 'agent',
  target,
  targetName: '',
  name: '',
  detail: '',
});

// --- events -------------------------------------------------------------------------------------------

export const created = (over: Partial<CallCreated['data']> = {}): CallCreated => ({
  type: 'CallCreated',
  data: {
    callId: CALL_ID,
    customerId: CUSTOMER,
    type: 'voice',
    direction: 'outgoing',
    source: null,
    destination: agent('jj084'),
    contactId: 'jj084',
    userId: null,
    masterCallId: null,
    metadata: {},
    dialTimeoutSec: 60,
    maxDurationSec: 3600,
    agentId: null,
    phoneId: null,
    at: T0,
    ...over,
  },
});

export const rang = (signalId = 'sig-ringing', at = T_RING): CallRinging => ({
  type: 'CallRinging',
  data: { callId: CALL_ID, signalId, at },
});

export const answered = (signalId = 'sig-answered', at = T_ANSWER): CallAnswered => ({
  type: 'CallAnswered',
  data: { callId: CALL_ID, signalId, at },
});

export const hangupRequested = (
  status: 'terminating' | 'canceling',
  hangupReason: HangupReason,
  at = T_HANGUP_REQ,
  endTime: string | null = null,
): CallHangupRequested => ({
  type: 'CallHangupRequested',
  data: { callId: CALL_ID, status, hangupReason, endTime, at },
});

/** Default: the far end hung up normally 30 s after the answer. */
export const hungUp = (over: Partial<CallHungUp['data']> = {}): CallHungUp => ({
  type: 'CallHungUp',
  data: {
    callId: CALL_ID,
    hangupBy: 'remote',
    hangupReason: 'normal',
    rawCause: 'NORMAL_CLEARING',
    signal: 'hangup',
    signalId: 'sig-hangup',
    at: T_END,
    endTime: T_END,
    durationSec: 30,
    conference: null,
    chainedCallIds: [],
    ...over,
  },
});

export const assigned = (
  conferenceId = 'conf-1',
  conferencecallId = 'cc-1',
  at = T_HANGUP_REQ,
): CallEvent => ({
  type: 'CallAssignedToConference',
  data: { callId: CALL_ID, conferenceId, conferencecallId, at },
});

export const released = (
  conferenceId = 'conf-1',
  conferencecallId = 'cc-1',
  at = T_HANGUP_REQ,
): CallEvent => ({
  type: 'CallReleasedFromConference',
  data: { callId: CALL_ID, conferenceId, conferencecallId, at },
});

export const chained = (chainedCallId = 'call-child', at = T_RING): CallEvent => ({
  type: 'CallChained',
  data: { callId: CALL_ID, chainedCallId, at },
});

/** One history per status, the shortest way to reach it. */
export const historyIn: Record<CallStatus | 'none', CallEvent[]> = {
  none: [],
  dialing: [created()],
  ringing: [created(), rang()],
  progressing: [created(), rang(), answered()],
  terminating: [created(), rang(), answered(), hangupRequested('terminating', 'normal')],
  canceling: [created(), rang(), hangupRequested('canceling', 'cancel')],
  hangup: [created(), rang(), answered(), hungUp()],
};

// --- commands -----------------------------------------------------------------------------------------

const ref = (at: string) => ({ callId: CALL_ID, customerId: CUSTOMER, at });

export const makeCall = (over: Partial<MakeCall['data']> = {}): CallCommand => ({
  type: 'MakeCall',
  data: { ...ref(T0), contactId: 'jj084', type: 'voice', ...over },
});

export const signal = (
  kind: CallSignal,
  options: { signalId?: string; at?: string; cause?: string | null } = {},
): CallCommand => ({
  type: 'ReportSignal',
  data: {
    ...ref(options.at ?? T_END),
    signalId: options.signalId ?? `sig-new-${kind}`,
    signal: kind,
    cause: options.cause ?? null,
  },
});

export const hangup = (at = T_HANGUP_REQ, endTime?: string): CallCommand => ({
  type: 'HangupCall',
  data: { ...ref(at), endTime },
});

export const expire = (
  type: 'ExpireDialTimeout' | 'ExpireMaxDuration' | 'ExpireHangupConfirmation',
  at = LATER,
): CallCommand => ({ type, data: ref(at) });

export const assign = (
  conferenceId = 'conf-1',
  conferencecallId = 'cc-1',
  at = T_HANGUP_REQ,
): CallCommand => ({
  type: 'AssignConference',
  data: { ...ref(at), conferenceId, conferencecallId },
});

export const release = (
  conferenceId = 'conf-1',
  conferencecallId = 'cc-1',
  at = T_HANGUP_REQ,
): CallCommand => ({
  type: 'ReleaseConference',
  data: { ...ref(at), conferenceId, conferencecallId },
});

export const chain = (chainedCallId = 'call-child', at = T_HANGUP_REQ): CallCommand => ({
  type: 'ChainCall',
  data: { ...ref(at), chainedCallId },
});

/** The same command sent by another tenant. */
export const asCustomer = (customerId: string, command: CallCommand): CallCommand =>
  ({ ...command, data: { ...command.data, customerId } }) as CallCommand;
