const NOT_READY = Symbol('not ready');

/**
 * Reads an async iterator in batches: waits for one item, then takes every further item that is already
 * available (it resolves before the next macrotask, e.g. queued in a shared feed), up to `max`. A consumer
 * that does one store append per batch instead of per item then keeps up with a busy event loop: a reaction
 * costs event-loop turns, and a burst arrives all at once.
 */
export class ReadyBatches<T> {
  /** A `next()` that was not ready when the last batch closed: the first item of the next batch. */
  private pending: Promise<IteratorResult<T>> | null = null;
  private done = false;

  /**
   * `takeAvailable`, when the source has one (a shared-feed subscription), returns synchronously the items
   * `iterator.next()` would return without waiting, in order: a burst then costs one call instead of a
   * promise race per item. Called only while no `next()` of ours is pending, so nothing is skipped.
   */
  constructor(
    private readonly iterator: AsyncIterator<T>,
    private readonly takeAvailable?: (max: number) => T[],
  ) {}

  /** The next batch, never empty unless the iterator is done. */
  async next(max: number): Promise<T[]> {
    if (this.done) return [];
    const first = await this.pull();
    if (first.done) {
      this.done = true;
      return [];
    }
    const batch = [first.value];
    if (this.takeAvailable) for (const item of this.takeAvailable(max - 1)) batch.push(item);
    // One macrotask bounds the whole batch: whatever is not ready by then waits for the next one. Made
    // only when the batch is not full yet, so a batch `takeAvailable` filled costs no timer.
    let turn: Promise<typeof NOT_READY> | null = null;
    while (batch.length < max) {
      turn ??= new Promise<typeof NOT_READY>((resolve) => setImmediate(() => resolve(NOT_READY)));
      const next = this.pending ?? this.iterator.next();
      this.pending = next;
      const ready = await Promise.race([next, turn]);
      if (ready === NOT_READY) break;
      this.pending = null;
      if (ready.done) {
        this.done = true;
        break;
      }
      batch.push(ready.value);
    }
    return batch;
  }

  /** Ends the iterator (and, for a subscription, unsubscribes). */
  async return(): Promise<void> {
    this.done = true;
    await this.iterator.return?.();
  }

  private pull(): Promise<IteratorResult<T>> {
    const next = this.pending ?? this.iterator.next();
    this.pending = null;
    return next;
  }
}
