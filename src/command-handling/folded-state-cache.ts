// biome-ignore lint/suspicious/noExplicitAny: entries of every stream type share one map; callers are typed
type Evolve = (state: any, event: any) => unknown;

/** A stream's folded state at a revision, as the executor last read or wrote it. */
export interface FoldedState<State> {
  state: State;
  revision: bigint | null;
  position: bigint | null;
}

/**
 * Per-instance cache of folded aggregate state, so a command on a stream this instance just wrote needs no
 * read, and a load reads only the events after an entry's revision. An entry is exact for its revision (the
 * log is append-only), but it may be behind the store, so it is never trusted for a decision on its own:
 * the append names the cached revision, so a stale entry (another instance or process wrote) fails the
 * append and costs one retry on fresh state; a command decided as a no-op, a refusal or a stale If-Match on
 * a cached entry is re-checked against the store before it is answered. Bounded: the least recently used
 * streams go first.
 */
export class FoldedStateCache {
  private readonly entries = new Map<string, FoldedState<unknown> & { evolve: Evolve }>();

  constructor(private readonly capacity: number) {}

  /** `evolve` must be the one the entry was folded with: another fold of the same stream is another state. */
  get<State>(streamId: string, evolve: Evolve): FoldedState<State> | undefined {
    const entry = this.entries.get(streamId);
    if (entry === undefined || entry.evolve !== evolve) return undefined;
    // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return { state: entry.state as State, revision: entry.revision, position: entry.position };
  }

  set<State>(streamId: string, evolve: Evolve, entry: FoldedState<State>): void {
    if (this.capacity <= 0 || entry.revision === null) return;
    const known = this.entries.get(streamId);
    // Concurrent commands may resolve out of order: never replace a newer entry with an older one.
    if (known?.revision != null && known.revision > entry.revision) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { ...entry, evolve });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
