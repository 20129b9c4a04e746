import { ruleViolated } from '../domain/domain-error';

/**
 * What a call or a conference knows about its recordings (seeds 003 and 004: `recording_id` is the one
 * running, `recording_ids` all of them). The call and conference streams hold this slot, so "one recording
 * at a time" is decided under the target's own revision: two concurrent starts cannot both win.
 */
export type RecordingTargetKind = 'call' | 'conference';
export type RecordingTarget = { kind: RecordingTargetKind; id: string };
export type RecordingFormat = 'wav';
export const RECORDING_FORMATS: readonly RecordingFormat[] = ['wav'];

/** Why a recording stopped: asked by the client, its call or conference ended, or the media layer ended it. */
export type RecordingStopReason = 'requested' | 'call_ended' | 'conference_ended' | 'media_ended';

export interface RecordingSlot {
  recordingId: string | null;
  recordingIds: readonly string[];
}

/**
 * True when this start is a repeat of the running recording (a retried step: decide nothing); throws
 * `<kind>.already_recording` when another recording runs. The target's own status rules come first.
 */
export function isRepeatedStart(
  kind: RecordingTargetKind,
  slot: RecordingSlot,
  recordingId: string,
): boolean {
  if (slot.recordingId === recordingId) return true;
  if (slot.recordingIds.includes(recordingId))
    throw ruleViolated(`${kind}.recording_finished`, `recording ${recordingId} has already stopped`, {
      recordingId,
    });
  if (slot.recordingId !== null)
    throw ruleViolated(`${kind}.already_recording`, `the ${kind} is already recording`, {
      recordingId: slot.recordingId,
    });
  return false;
}

/**
 * The recording a stop ends, or null for a no-op. Without an id (a client's stop) it is the running one,
 * and nothing running is a 409 `<kind>.not_recording`; with an id (sagas) a recording that is no longer
 * the running one is a harmless repeat.
 */
export function recordingToStop(
  kind: RecordingTargetKind,
  slot: RecordingSlot,
  recordingId: string | null,
): string | null {
  if (recordingId !== null) return slot.recordingId === recordingId ? recordingId : null;
  if (slot.recordingId === null)
    throw ruleViolated(`${kind}.not_recording`, `the ${kind} is not recording`, {});
  return slot.recordingId;
}

export const slotAfterStart = (slot: RecordingSlot, recordingId: string): RecordingSlot => ({
  recordingId,
  recordingIds: [...slot.recordingIds, recordingId],
});

export const slotAfterStop = (slot: RecordingSlot, recordingId: string): RecordingSlot => ({
  recordingId: slot.recordingId === recordingId ? null : slot.recordingId,
  recordingIds: slot.recordingIds,
});
