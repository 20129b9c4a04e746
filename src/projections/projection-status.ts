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
  if (!behind) return { ...snapshot, lag: { positions: 0n, ms: 0 } };
  // The head may be an event `$all` never delivers (a system event): then nothing is really pending.
  const oldest = await firstAfter(store, checkpoint);
  if (!oldest) return { ...snapshot, lag: { positions: 0n, ms: 0 } };
  const positions = head - (checkpoint ?? 0n);
  return {
    ...snapshot,
    lag: { positions, ms: Math.max(0, clock.now().getTime() - oldest.created.getTime()) },
  };
}

/**
 * True when `$all` holds no event after the checkpoint. Asked of `readAll` rather than compared with
 * `headPosition()`, so that system events at the head (never delivered) cannot keep a build from catching up.
 */
export async function isCaughtUp(store: EventStore, checkpoint: bigint | null): Promise<boolean> {
  return (await firstAfter(store, checkpoint)) === null;
}

/** The oldest event not applied yet, or null. */
export async function firstAfter(
  store: EventStore,
  checkpoint: bigint | null,
): Promise<RecordedEvent | null> {
  // readAll is inclusive: from the checkpoint itself, the first event may be the one already applied.
  for await (const event of store.readAll({ fromPosition: checkpoint ?? 'start', maxCount: 2 })) {
    if (checkpoint === null || event.position > checkpoint) return event;
  }
  return null;
}
