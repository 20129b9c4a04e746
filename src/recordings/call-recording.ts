import type { DomainEvent } from '../domain/decider';
import { ruleViolated } from '../domain/domain-error';
import {
  isRepeatedStart,
  type RecordingFormat,
  type RecordingStopReason,
  recordingToStop,
} from './recording-slot';

/**
 * The call's side of recording (issue 12 §2): the call stream holds the recording slot, so a call records
 * at most once at a time. Pure; `call.decider.ts` and `call.ts` delegate here, in their recording blocks.
 */
export type CallRecordingStarted = DomainEvent<
  'CallRecordingStarted',
  { callId: string; recordingId: string; format: RecordingFormat; at: string }
>;
export type CallRecordingStopped = DomainEvent<
  'CallRecordingStopped',
  { callId: string; recordingId: string; reason: RecordingStopReason; at: string }
>;
export type CallRecordingEvent = CallRecordingStarted | CallRecordingStopped;

type CallRef = { callId: string; customerId: string; at: string };
/** Only an answered call records (409 `call.not_answered` / `call.ending` otherwise). */
export type StartCallRecording = {
  type: 'StartCallRecording';
  data: CallRef & { recordingId: string; format: RecordingFormat };
};
/** `recordingId` null: the running one (409 `call.not_recording` if none). Allowed in any status. */
export type StopCallRecording = {
  type: 'StopCallRecording';
  data: CallRef & { recordingId: string | null; reason: RecordingStopReason };
};
export type CallRecordingCommand = StartCallRecording | StopCallRecording;

/** What the call decider knows of the call, for these rules. */
export interface RecordedCall {
  id: string;
  status: string;
  recordingId: string | null;
  recordingIds: readonly string[];
}

export function decideCallRecording(command: CallRecordingCommand, call: RecordedCall): CallRecordingEvent[] {
  const { at } = command.data;
  if (command.type === 'StartCallRecording') {
    const { recordingId, format } = command.data;
    if (call.recordingId === recordingId) return [];
    if (call.status === 'dialing' || call.status === 'ringing')
      throw ruleViolated('call.not_answered', `call ${call.id} has not been answered`, {
        status: call.status,
      });
    if (call.status !== 'progressing')
      throw ruleViolated('call.ending', `call ${call.id} is ${call.status}`, { status: call.status });
    if (isRepeatedStart('call', call, recordingId)) return [];
    return [{ type: 'CallRecordingStarted', data: { callId: call.id, recordingId, format, at } }];
  }
  const stopped = recordingToStop('call', call, command.data.recordingId);
  if (stopped === null) return [];
  return [
    {
      type: 'CallRecordingStopped',
      data: { callId: call.id, recordingId: stopped, reason: command.data.reason, at },
    },
  ];
}
