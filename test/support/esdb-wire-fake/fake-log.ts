/**
 * In-memory transaction log of the EventStoreDB wire fake (test code only; see esdb-wire-fake.ts).
 *
 * Mirrors the EventStoreDB rules the adapter relies on:
 * - stream revisions from 0; `$all` in commit order;
 * - every event written by a gRPC append is self-committed, so its position is commit = prepare = the byte
 *   offset where its record starts. Records have sizes and appends leave gaps (think commit and chunk
 *   records), so positions are increasing but never contiguous;
 * - optimistic concurrency with EventStoreDB's idempotency: re-sending the same event ids at the same
 *   expected revision writes nothing and reports the stream as it is.
 */

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

export interface StoredRecord extends ProposedEvent {
  streamId: string;
  revision: bigint;
  /** Pre-position: where the record starts. Used as both commit and prepare position. */
  position: bigint;
  /** Where the record ends. Backward reads of `$all` compare against it, as the server does. */
  postPosition: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server puts in the `created` metadata entry. */
  createdTicks: bigint;
}

export type ExpectedState =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

/**
 * Where an append landed, as the server reports it: the commit position is the last event's, the prepare
 * position the first event's (they differ for multi-event appends).
 */
export interface AppendPosition {
  commit: bigint;
  prepare: bigint;
}

export type AppendOutcome =
  | { kind: 'success'; currentRevision: bigint | 'no_stream'; position: AppendPosition | null }
  | { kind: 'wrong_expected_version'; current: bigint | 'no_stream' };

export type Direction = 'forwards' | 'backwards';

/** Bytes between two appends: stands for the commit, epoch and chunk records a real log also holds. */
const GAP_BETWEEN_APPENDS = 37n;
const RECORD_OVERHEAD = 83;

export class FakeLog {
  private readonly all: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly commitListeners = new Set<() => void>();
  private nextPosition = 0n;

  constructor(
    private readonly now: () => Date,
    /** Real servers may answer an idempotent append without a position; tests can choose that variant. */
    private readonly idempotentAppendsReportPosition: boolean,
  ) {}

  append(streamId: string, expected: ExpectedState, events: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const current: bigint | 'no_stream' = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
    const replay = this.idempotentReplay(stream, expected, events);
    if (replay) return replay;
    const accepted =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current === 'no_stream') ||
      (expected.kind === 'stream_exists' && current !== 'no_stream') ||
      (expected.kind === 'revision' && current === expected.revision);
    if (!accepted) return { kind: 'wrong_expected_version', current };
    if (events.length === 0) return { kind: 'success', currentRevision: current, position: null };

    const createdTicks = BigInt(this.now().getTime()) * 10_000n;
    const written: StoredRecord[] = [];
    for (const event of events) {
      const size = BigInt(
        RECORD_OVERHEAD + streamId.length + event.type.length + event.data.length + event.metadata.length,
      );
      const record: StoredRecord = {
        ...event,
        streamId,
        revision: BigInt(stream.length),
        position: this.nextPosition,
        postPosition: this.nextPosition + size,
        createdTicks,
      };
      this.nextPosition = record.postPosition;
      stream.push(record);
      this.all.push(record);
      written.push(record);
    }
    this.nextPosition += GAP_BETWEEN_APPENDS;
    this.streams.set(streamId, stream);
    for (const listener of [...this.commitListeners]) listener();
    const last = written[written.length - 1]!;
    const position = { commit: last.position, prepare: written[0]!.position };
    return { kind: 'success', currentRevision: last.revision, position };
  }

  /** `null` when the stream has no events (the server answers "stream not found"). */
  readStream(
    streamId: string,
    from: bigint | 'start' | 'end',
    direction: Direction,
    maxCount: number,
  ): StoredRecord[] | null {
    const stream = this.streams.get(streamId);
    if (!stream || stream.length === 0) return null;
    const last = stream.length - 1;
    if (direction === 'forwards') {
      if (from === 'end') return [];
      const start = from === 'start' ? 0 : Number(from);
      return stream.slice(start, start + maxCount);
    }
    if (from === 'start') return stream.slice(0, 1);
    const start = from === 'end' ? last : Math.min(Number(from), last);
    return stream.slice(Math.max(0, start - maxCount + 1), start + 1).reverse();
  }

  /**
   * Forwards: records starting at or after `from` (inclusive). Backwards: records that END at or before
   * `from`, so reading backwards from an event's own position does not return that event (server rule).
   */
  readAll(from: bigint | 'start' | 'end', direction: Direction, maxCount: number): StoredRecord[] {
    if (direction === 'forwards') {
      if (from === 'end') return [];
      const start = from === 'start' ? 0 : this.firstIndexAtOrAfter(from);
      return this.all.slice(start, start + maxCount);
    }
    const end = from === 'end' ? this.all.length : this.countEndingAtOrBefore(from === 'start' ? 0n : from);
    return this.all.slice(Math.max(0, end - maxCount), end).reverse();
  }

  /** Records strictly after `position` (subscriptions start exclusively), at most `limit`. */
  after(position: bigint | null, limit: number): StoredRecord[] {
    const start = position === null ? 0 : this.firstIndexAtOrAfter(position + 1n);
    return this.all.slice(start, start + limit);
  }

  /** Position of the last record, or null for an empty log. */
  lastPosition(): bigint | null {
    return this.all.length === 0 ? null : this.all[this.all.length - 1]!.position;
  }

  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private idempotentReplay(
    stream: readonly StoredRecord[],
    expected: ExpectedState,
    events: readonly ProposedEvent[],
  ): AppendOutcome | null {
    if (events.length === 0 || stream.length === 0) return null;
    const byId = expected.kind === 'any' || expected.kind === 'stream_exists';
    let from: number;
    if (byId) from = stream.findIndex((record) => record.id === events[0]!.id);
    else from = expected.kind === 'no_stream' ? 0 : Number(expected.revision) + 1;
    if (from < 0) return null;
    const fits = from + events.length <= stream.length;
    const same = fits && events.every((event, i) => stream[from + i]!.id === event.id);
    if (!same) {
      // A known first id in a different batch is a concurrency problem for the server, never a duplicate.
      return byId ? { kind: 'wrong_expected_version', current: BigInt(stream.length - 1) } : null;
    }
    const last = stream[from + events.length - 1]!;
    const original = { commit: last.position, prepare: stream[from]!.position };
    const position = this.idempotentAppendsReportPosition ? original : null;
    return { kind: 'success', currentRevision: last.revision, position };
  }

  private firstIndexAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.all[mid]!.position < position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private countEndingAtOrBefore(position: bigint): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.all[mid]!.postPosition <= position) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
