import type { Clock } from '../domain/clock';
import type { EventStore, RecordedEvent } from '../event-store/event-store';
import type { ProjectionFailure, RunnerState } from './projection-runner';

/**
 * `catching_up` / `live`: applying events (live = nothing more was immediately available at the last look);
 * `rebuilding`: a new build is being made while the active one serves; `failed`: a handler threw (see
 * `error`) until `restart(name)`; `stopped`: the engine is not running.
 */
export type ProjectionState = RunnerState | 'rebuilding';

/** What a projection slot knows synchronously; the engine adds the lag, which needs the store. */
export interface SlotSnapshot {
  name: string;
  /** Version whose tables answer queries. */
  activeVersion: number;
  /** Position of the last event applied to the active tables; null when none yet. */
  checkpoint: bigint | null;
  state: ProjectionState;
  /** Set when the active build or the build in progress has failed. */
  error: ProjectionFailure | null;
  /** The build that will take over, while one is in progress. */
  rebuild: { version: number; generation: number; checkpoint: bigint | null; state: RunnerState } | null;
}

export interface ProjectionStatus extends SlotSnapshot {
  lag: {
    /** Head position − checkpoint (a null checkpoint counts as 0). Positions need not be contiguous. */
    positions: bigint;
    /** Age of the oldest event not yet applied to the active tables; 0 when caught up. */
    ms: number;
  };
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

async function firstAfter(store: EventStore, checkpoint: bigint | null): Promise<RecordedEvent | null> {
  // readAll is inclusive: from the checkpoint itself, the first event may be the one already applied.
  for await (const event of store.readAll({ fromPosition: checkpoint ?? 'start', maxCount: 2 })) {
    if (checkpoint === null || event.position > checkpoint) return event;
  }
  return null;
}
