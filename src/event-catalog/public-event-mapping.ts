import type { JsonObject } from '../event-store/event-store';
import type { PublicResource } from './public-event-types';

/**
 * Internal domain event type → public type. One internal event maps to at most one public type; internal
 * events absent here (tenants, API keys, webhook bookkeeping) are never published. Exhaustive by design:
 * a new internal event stays private until it is added here and to the catalogue.
 */
const CALL_TYPES: Record<string, string | ((data: JsonObject) => string)> = {
  CallCreated: 'call.created',
  CallRinging: 'call.ringing',
  CallAnswered: 'call.answered',
  CallHangupRequested: (data) => (data.status === 'canceling' ? 'call.canceling' : 'call.terminating'),
  CallHungUp: 'call.hangup',
  CallChained: 'call.chained',
  CallAssignedToConference: 'call.updated',
  CallReleasedFromConference: 'call.updated',
  // Call control and AMD. CallAmdRequested is published as part of the call (`amd`), with its creation's
  // append: `call.updated`, like every change that has no name of its own.
  CallActionsQueued: 'call.actions_queued',
  CallActionStarted: 'call.action_started',
  CallActionMediaStarted: 'call.updated',
  CallActionFinished: 'call.action_finished',
  CallMessageAdded: 'call.message_added',
  CallTransferred: 'call.transferred',
  CallTransferFailed: 'call.transfer_failed',
  CallAmdRequested: 'call.updated',
  CallAmdDetected: 'call.amd_detected',
  CallRecordingStarted: 'call.updated',
  CallRecordingStopped: 'call.updated',
};
const CONFERENCE_TYPES: Record<string, string> = {
  ConferenceCreated: 'conference.created',
  ConferenceUpdated: 'conference.updated',
  ConferenceParticipantAdmitted: 'conference.updated',
  ConferenceParticipantRemoved: 'conference.updated',
  ConferenceTerminationStarted: 'conference.terminating',
  ConferenceTerminated: 'conference.terminated',
  ConferenceRecordingStarted: 'conference.updated',
  ConferenceRecordingStopped: 'conference.updated',
};
const CONFERENCECALL_TYPES: Record<string, string> = {
  ConferencecallJoinStarted: 'conferencecall.joining',
  ConferencecallJoined: 'conferencecall.joined',
  ConferencecallKicked: 'conferencecall.leaving',
  ConferencecallLeft: 'conferencecall.leaved',
  ConferencecallJoinAborted: 'conferencecall.leaved',
};
const RECORDING_TYPES: Record<string, string> = {
  RecordingStarted: 'recording.started',
  RecordingStopRequested: 'recording.stopping',
  RecordingFinished: 'recording.finished',
};

const NUMBER_TYPES: Record<string, string> = {
  NumberRegistered: 'number.created',
  NumberUpdated: 'number.updated',
  NumberReleased: 'number.deleted',
};

const TABLES: Record<PublicResource, Record<string, string | ((data: JsonObject) => string)>> = {
  call: CALL_TYPES,
  conference: CONFERENCE_TYPES,
  conferencecall: CONFERENCECALL_TYPES,
  number: NUMBER_TYPES,
  recording: RECORDING_TYPES,
};

export function publicTypeOf(resource: PublicResource, type: string, data: JsonObject): string | null {
  const entry = TABLES[resource][type];
  if (entry === undefined) return null;
  return typeof entry === 'string' ? entry : entry(data);
}
