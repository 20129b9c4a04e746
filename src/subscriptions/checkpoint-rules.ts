import { FencedOut } from './checkpoint-store';

/** What an adapter stores per consumer. */
export interface CheckpointRecord {
  readonly position: bigint;
  /** Newest lease token that ever saved this checkpoint; null while only unfenced saves happened. */
  readonly fence: bigint | null;
}

/**
 * The record to write for a save, or null when the save changes nothing. Pure, shared by every adapter.
 *
 * - A fence older than the newest stored one throws `FencedOut`, even for an old position: the caller must
 *   learn that it lost its lease and stop.
 * - The position never moves backwards, but a newer fence is recorded even when the position does not
 *   move (the new holder loaded an older checkpoint than the old holder's last save): from then on the old
 *   holder is fenced out.
 */
export function decideCheckpointSave(
  consumer: string,
  stored: CheckpointRecord | null,
  position: bigint,
  fence: bigint | undefined,
): CheckpointRecord | null {
  if (stored === null) return { position, fence: fence ?? null };
  if (fence !== undefined && stored.fence !== null && fence < stored.fence) {
    throw new FencedOut(consumer, fence, stored.fence);
  }
  const next: CheckpointRecord = {
    position: position > stored.position ? position : stored.position,
    fence: fence !== undefined && (stored.fence === null || fence > stored.fence) ? fence : stored.fence,
  };
  return next.position === stored.position && next.fence === stored.fence ? null : next;
}
