import type { DomainEvent } from '../domain/decider';
import { ruleViolated } from '../domain/domain-error';
import {
  isRepeatedStart,
  type RecordingFormat,
  type RecordingStopReason,
  recordingToStop,
} from './recording-slot';

/**
 * The conference's side of recording (seed 004 `recording_id(s)`): like a call, the conference stream holds
 * the recording slot. Pure; `conference.decider.ts` and `conference.ts` delegate here.
 */
export type ConferenceRecordingStarted = DomainEvent<
  'ConferenceRecordingStarted',
  { conferenceId: string; recordingId: string; format: RecordingFormat; at: string }
>;
export type ConferenceRecordingStopped = DomainEvent<
  'ConferenceRecordingStopped',
  { conferenceId: string; recordingId: string; reason: RecordingStopReason; at: string }
>;
export type ConferenceRecordingEvent = ConferenceRecordingStarted | ConferenceRecordingStopped;

type ConferenceRef = { conferenceId: string; customerId: string; at: string };
/** Only a `progressing` conference records (409 `conference.not_active` otherwise). */
export type StartConferenceRecording = {
  type: 'StartConferenceRecording';
  data: ConferenceRef & { recordingId: string; format: RecordingFormat };
};
/** `recordingId` null: the running one (409 `conference.not_recording` if none). Allowed in any status. */
export type StopConferenceRecording = {
  type: 'StopConferenceRecording';
  data: ConferenceRef & { recordingId: string | null; reason: RecordingStopReason };
};
export type ConferenceRecordingCommand = StartConferenceRecording | StopConferenceRecording;

export interface RecordedConference {
  id: string;
  status: string;
  recordingId: string | null;
  recordingIds: readonly string[];
}

export function decideConferenceRecording(
  command: ConferenceRecordingCommand,
  conference: RecordedConference,
): ConferenceRecordingEvent[] {
  const { at } = command.data;
  if (command.type === 'StartConferenceRecording') {
    const { recordingId, format } = command.data;
    if (conference.recordingId === recordingId) return [];
    if (conference.status !== 'progressing')
      throw ruleViolated('conference.not_active', `Conference is ${conference.status}`, {
        status: conference.status,
      });
    if (isRepeatedStart('conference', conference, recordingId)) return [];
    return [
      { type: 'ConferenceRecordingStarted', data: { conferenceId: conference.id, recordingId, format, at } },
    ];
  }
  const stopped = recordingToStop('conference', conference, command.data.recordingId);
  if (stopped === null) return [];
  return [
    {
      type: 'ConferenceRecordingStopped',
      data: { conferenceId: conference.id, recordingId: stopped, reason: command.data.reason, at },
    },
  ];
}
