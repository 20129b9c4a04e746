import { assertNever, type Decider } from '../domain/decider';
import { invalid, notFound, ruleViolated } from '../domain/domain-error';
import {
  evolveRecording,
  initialRecordingState,
  type Recording,
  type RecordingEvent,
  type RecordingState,
} from './recording';
import type { RecordingFormat, RecordingStopReason, RecordingTarget } from './recording-slot';

/** Every command names its recording and its tenant; another tenant's recording answers as unknown. */
type RecordingRef = { recordingId: string; customerId: string; at: string };

/**
 * Step 2 of a start (step 1 took the call's or conference's recording slot, see `recording-process.ts`).
 * A repeat for the same target is a no-op, so the process and its recovery saga may both send it.
 */
export type StartRecording = {
  type: 'StartRecording';
  data: RecordingRef & { target: RecordingTarget; format: RecordingFormat };
};
export type StopRecording = { type: 'StopRecording'; data: RecordingRef & { reason: RecordingStopReason } };
/** The media layer reports the file (idempotent per `signalId`). Duration defaults to start → end. */
export type FinishRecording = {
  type: 'FinishRecording';
  data: RecordingRef & {
    signalId: string;
    tmEnd?: string | null;
    durationSec?: number | null;
    mediaUrl?: string | null;
  };
};

export type RecordingCommand = StartRecording | StopRecording | FinishRecording;

export function decideRecording(command: RecordingCommand, state: RecordingState): RecordingEvent[] {
  if (command.type === 'StartRecording') return start(command.data, state);
  const recording = existing(state, command.data);
  const { at } = command.data;
  switch (command.type) {
    case 'StopRecording':
      // Stopping twice, or a stop after the media layer finished on its own, changes nothing.
      if (recording.status !== 'recording') return [];
      return [
        {
          type: 'RecordingStopRequested',
          data: { recordingId: recording.id, reason: command.data.reason, at },
        },
      ];
    case 'FinishRecording':
      return finish(recording, command.data);
    default:
      return assertNever(command);
  }
}

export const recordingDecider: Decider<RecordingCommand, RecordingEvent, RecordingState> = {
  decide: decideRecording,
  evolve: evolveRecording,
  initialState: initialRecordingState,
};

function existing(state: RecordingState, ref: RecordingRef): Recording {
  if (state === null || state.customerId !== ref.customerId)
    throw notFound('recording.not_found', `recording ${ref.recordingId} not found`, {
      recordingId: ref.recordingId,
    });
  return state;
}

function start(data: StartRecording['data'], state: RecordingState): RecordingEvent[] {
  const { recordingId, customerId, target, format, at } = data;
  if (state !== null) {
    const same = state.referenceType === target.kind && state.referenceId === target.id;
    if (same && state.customerId === customerId) return [];
    throw ruleViolated('recording.already_exists', `recording ${recordingId} already exists`, {});
  }
  return [
    {
      type: 'RecordingStarted',
      data: { recordingId, customerId, referenceType: target.kind, referenceId: target.id, format, at },
    },
  ];
}

function finish(recording: Recording, data: FinishRecording['data']): RecordingEvent[] {
  if (recording.status === 'finished') return []; // a redelivered report, or a second one: the first wins
  const tmEnd = validEnd(recording, data.tmEnd ?? recording.tmStopRequested ?? data.at);
  const measured = Math.round((Date.parse(tmEnd) - Date.parse(recording.tmStart)) / 1000);
  const durationSec = data.durationSec ?? measured;
  if (!Number.isInteger(durationSec) || durationSec < 0)
    throw invalid('recording.invalid_duration', 'duration must be a whole number of seconds, 0 or more', {
      field: 'duration',
    });
  return [
    {
      type: 'RecordingFinished',
      data: {
        recordingId: recording.id,
        signalId: data.signalId,
        tmEnd,
        durationSec,
        mediaUrl: data.mediaUrl ?? null,
        at: data.at,
      },
    },
  ];
}

function validEnd(recording: Recording, tmEnd: string): string {
  const ms = Date.parse(tmEnd);
  if (Number.isNaN(ms))
    throw invalid('recording.invalid_end', 'tm_end is not a timestamp', { field: 'tm_end' });
  if (ms < Date.parse(recording.tmStart))
    throw invalid('recording.invalid_end', 'tm_end is before the recording started', {
      field: 'tm_end',
      tmStart: recording.tmStart,
    });
  return new Date(ms).toISOString();
}
