/**
 * The checkpoint port: how far a consumer of `$all` has finished its work. Plain TypeScript, no Nest.
 *
 * Guarantees every adapter keeps (one contract suite, `test/subscriptions/contract/`):
 * - A checkpoint is saved only AFTER the work up to it is done, so it is never ahead of finished work;
 *   `load` after a crash returns the last saved position (at-least-once for side effects).
 * - `save` never moves a checkpoint backwards: saving an older position than the stored one is a no-op.
 * - Fencing: a save carries the lease token of its holder (see `lease.ts`). A save with a token OLDER than
 *   the newest token that ever saved this checkpoint throws `FencedOut`: a holder that lost its lease
 *   (paused, partitioned) cannot overwrite the progress of the one that took over. It is thrown whatever
 *   the position, and a newer token is recorded even with an older position (the position then stays).
 *   Saves without a token are for consumers that run on every instance (read models) and are never fenced.
 */
export interface CheckpointStore {
  /** Position of the last event the consumer finished, or null when it never saved one. */
  load(consumer: string): Promise<bigint | null>;

  /** Records that every event up to and including `position` is done. */
  save(consumer: string, position: bigint, options?: SaveCheckpointOptions): Promise<void>;
}

export interface SaveCheckpointOptions {
  /** The lease token of the holder saving it; see the fencing rule above. */
  fence?: bigint;
  /** When it happened, for operators (`projections list`); adapters may store it. */
  at?: Date;
}

/** A save from a holder whose lease was taken over since: it must stop working. */
export class FencedOut extends Error {
  override readonly name = 'FencedOut';
  constructor(
    readonly consumer: string,
    readonly fence: bigint,
    readonly newestFence: bigint,
  ) {
    super(
      `checkpoint ${consumer}: lease token ${fence} is older than ${newestFence}; another holder took over`,
    );
  }
}

/** DI token for the checkpoint store of work that runs once across instances (reactors, timers, webhooks). */
export const SHARED_CHECKPOINTS = Symbol('SHARED_CHECKPOINTS');
