import type { IdGenerator } from '../../domain/id-generator';
import type { EventStore, JsonObject, RecordedEvent } from '../../event-store/event-store';
import { WrongExpectedVersion } from '../../event-store/event-store.errors';
import { type CheckpointRecord, decideCheckpointSave } from '../checkpoint-rules';
import type { CheckpointStore, SaveCheckpointOptions } from '../checkpoint-store';
import { checkpointStreamOf } from '../runtime-streams';
import { bigintField, readLastEvent, revisionAfter, runtimeEvent } from './runtime-stream-io';

export const CHECKPOINT_SAVED = 'CheckpointSaved';

/** Concurrent saves of one checkpoint (a fenced-out holder racing the new one) are re-judged this often. */
const MAX_SAVE_ATTEMPTS = 5;

/**
 * Checkpoints as events in the event store itself (stream `checkpoint-<consumer>`, events
 * `CheckpointSaved {position, fence?}`), so that instances sharing an EventStoreDB share them without
 * any other database. Works on any `EventStore` adapter.
 *
 * COST: every save that changes something appends ONE event (and it lands in `$all`, which every consumer
 * reads and skips, see `runtime-streams.ts`). The runtime must therefore save shared checkpoints at most
 * about once a second per consumer, not after every event; a crash then redoes up to a second of work,
 * which at-least-once consumers absorb. A save that changes nothing (same position and fence) writes nothing.
 *
 * The stored fence is the newest one ever saved, carried forward by unfenced saves, so the last event alone
 * holds the whole state.
 */
export class StoreCheckpointStore implements CheckpointStore {
  constructor(
    private readonly store: EventStore,
    private readonly ids: IdGenerator,
  ) {}

  async load(consumer: string): Promise<bigint | null> {
    const last = await readLastEvent(this.store, checkpointStreamOf(consumer));
    return last === null ? null : recordOf(last).position;
  }

  async save(consumer: string, position: bigint, options: SaveCheckpointOptions = {}): Promise<void> {
    const streamId = checkpointStreamOf(consumer);
    for (let attempt = 1; ; attempt++) {
      const last = await readLastEvent(this.store, streamId);
      const next = decideCheckpointSave(
        consumer,
        last === null ? null : recordOf(last),
        position,
        options.fence,
      );
      if (next === null) return;
      try {
        await this.store.appendToStream(
          streamId,
          [runtimeEvent(this.ids, CHECKPOINT_SAVED, dataOf(next, options))],
          {
            expectedRevision: revisionAfter(last),
          },
        );
        return;
      } catch (error) {
        // Someone saved in between: judge again on what they wrote (it may fence this save out).
        if (!(error instanceof WrongExpectedVersion) || attempt >= MAX_SAVE_ATTEMPTS) throw error;
      }
    }
  }
}

function recordOf(event: RecordedEvent): CheckpointRecord {
  const data = event.data;
  return {
    position: bigintField(data, 'position', event.streamId),
    fence: data.fence === undefined ? null : bigintField(data, 'fence', event.streamId),
  };
}

function dataOf(record: CheckpointRecord, options: SaveCheckpointOptions): JsonObject {
  return {
    position: record.position.toString(),
    ...(record.fence === null ? {} : { fence: record.fence.toString() }),
    ...(options.at === undefined ? {} : { at: options.at.toISOString() }),
  };
}
