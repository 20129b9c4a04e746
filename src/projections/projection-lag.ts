import type { Clock } from '../domain/clock';
import type { EventStore } from '../event-store/event-store';
import type { ProjectionFailure } from './projection-runner';
import type { ProjectionState, SlotSnapshot } from './projection-slot';

export type { ProjectionState } from './projection-slot';

export interface ProjectionStatus {
  name: string;
  /** Version whose tables answer queries. */
  activeVersion: number;
  /** Position of the last event applied to the active tables; null when none yet. */
  checkpoint: bigint | null;
  state: ProjectionState;
  lag: {
    /** Head position − checkpoint (a null checkpoint counts as 0). Positions need not be contiguous. */
    positions: bigint;
    /** Age of the oldest event not yet applied; 0 when caught up. */
    ms: number;
  };
  error: ProjectionFailure | null;
  rebuild: SlotSnapshot['rebuild'];
}

export async function measureLag(
  store: EventStore,
  clock: Clock,
  head: bigint | null,
  snapshot: SlotSnapshot,
): Promise<ProjectionStatus> {
  const { checkpoint } = snapshot;
  const behind = head !== null && (checkpoint === null || checkpoint < head);
  const positions = behind ? head - (checkpoint ?? 0n) : 0n;
  let ms = 0;
  if (behind) {
    const oldest = await firstAfter(store, checkpoint);
    if (oldest) ms = Math.max(0, clock.now().getTime() - oldest.created.getTime());
  }
  return { ...snapshot, lag: { positions, ms } };
}

async function firstAfter(store: EventStore, checkpoint: bigint | null) {
  // readAll is inclusive: from the checkpoint itself, the first event may be the one already applied.
  for await (const event of store.readAll({ fromPosition: checkpoint ?? 'start', maxCount: 2 })) {
    if (checkpoint === null || event.position > checkpoint) return event;
  }
  return null;
}
