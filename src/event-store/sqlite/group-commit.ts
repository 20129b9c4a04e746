import type Database from 'better-sqlite3';
import type { Clock } from '../../domain/clock';
import type { AppendResult, EventData, ExpectedRevision, RecordedEvent } from '../event-store';
import { describeExpected, StoreUnavailable, WrongExpectedVersion } from '../event-store.errors';
import { committedEvent } from './recent-events';
import type { SqliteStatements } from './sqlite-statements';
import type { Synced } from './wal-durability';

interface PendingAppend {
  streamId: string;
  events: readonly EventData[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  transactions: number;
  appends: number;
}

/** One committed batch, for metrics: appends and events in it, and how long the transaction (fsync) took. */
export type CommitObserver = (batch: { appends: number; events: number; seconds: number }) => void;

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/** Flush early when this many events wait, so one huge burst does not grow one unbounded transaction. */
const MAX_BATCH_EVENTS = 2000;

/**
 * Group commit: every append that arrives before the next macrotask joins one write transaction, so a
 * hundred concurrent appenders pay for one fsync instead of a hundred.
 *
 * Each append is still judged alone, against the state the transaction has built so far: its expected
 * revision is checked after the appends queued before it, and one that fails (conflict, duplicate id) is
 * rolled back to its own savepoint without touching its neighbours. Promises settle only after COMMIT
 * returned and, with `afterCommit`, after the fsync that covers it, so a resolved append is durable.
 */
export class GroupCommit {
  private queue: PendingAppend[] = [];
  private queuedEvents = 0;
  private scheduled = false;
  private readonly counters: GroupCommitStats = { transactions: 0, appends: 0 };
  /** Events written by the transaction in progress (appends rolled back to their savepoint excluded). */
  private written: RecordedEvent[] | null = null;
  /** Optional metrics hook, set by the store's `observeCommits()`. */
  observer: CommitObserver | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: SqliteStatements,
    private readonly clock: Clock,
    /** Called after each durable COMMIT with the events it wrote, in position order. */
    private readonly onCommit: (committed: RecordedEvent[]) => void,
    /**
     * Calls back once a COMMIT is on disk (`WalDurability`); by default at once, for a connection whose
     * COMMIT is durable by itself or that promises nothing (`:memory:`, NORMAL).
     */
    private readonly afterCommit: (synced: Synced) => void = (synced) => synced(null),
  ) {}

  append(streamId: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      this.queuedEvents += events.length;
      if (this.queuedEvents >= MAX_BATCH_EVENTS) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  /** Commits whatever is queued now. Safe to call at any time (close() uses it to drain). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.queuedEvents = 0;

    const outcomes: Outcome[] = [];
    const committed: RecordedEvent[] = [];
    this.written = committed;
    const started = performance.now();
    try {
      this.db
        .transaction(() => {
          const created = BigInt(this.clock.now().getTime());
          const revisions = new Map<string, bigint | null>();
          for (const pending of batch) outcomes.push(this.applyOne(pending, revisions, created));
        })
        .immediate();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch was written.
      this.written = null;
      const failure = toStoreError(error);
      for (const pending of batch) pending.reject(failure);
      return;
    }
    this.written = null;
    this.counters.transactions += 1;
    this.counters.appends += batch.length;
    this.observer?.({
      appends: batch.length,
      events: committed.length,
      seconds: (performance.now() - started) / 1000,
    });
    // Settled only once durable, refusals too: an appender that lost a race re-reads the stream, and the
    // winner's events are visible from then on.
    this.afterCommit((failure) => {
      batch.forEach((pending, i) => {
        const outcome = outcomes[i];
        if (failure) pending.reject(failure);
        else if (outcome.ok) pending.resolve(outcome.result);
        else pending.reject(outcome.error);
      });
      if (!failure) this.onCommit(committed);
    });
  }

  /** Checks and writes one append inside the batch transaction. Throws only for batch-fatal errors. */
  private applyOne(pending: PendingAppend, revisions: Map<string, bigint | null>, created: bigint): Outcome {
    const { streamId, events, expected } = pending;
    let current = revisions.get(streamId);
    if (current === undefined) {
      current = this.statements.lastRevision.get(streamId) ?? null;
      revisions.set(streamId, current);
    }

    const repeated = this.idempotentResult(streamId, events, expected, current);
    if (repeated) return { ok: true, result: repeated };
    if (!matches(expected, current)) {
      return {
        ok: false,
        error: new WrongExpectedVersion(streamId, describeExpected(expected), current ?? 'no_stream'),
      };
    }

    try {
      const result = this.insert(streamId, events, current, created);
      revisions.set(streamId, result.nextExpectedRevision);
      return { ok: true, result };
    } catch (error) {
      // A constraint (an event id already used elsewhere) fails this append only; anything else is fatal.
      if (isConstraintError(error)) return { ok: false, error: duplicateIdError(streamId, error) };
      throw error;
    }
  }

  private insert(
    streamId: string,
    events: readonly EventData[],
    current: bigint | null,
    created: bigint,
  ): AppendResult {
    const createdAt = new Date(Number(created));
    const recorded: RecordedEvent[] = [];
    const write = (): AppendResult => {
      let revision = current ?? -1n;
      let position = 0n;
      for (const event of events) {
        revision += 1n;
        const data = JSON.stringify(event.data);
        const metadata = JSON.stringify(event.metadata);
        const info = this.statements.insert.run(
          streamId,
          revision,
          event.id,
          event.type,
          data,
          metadata,
          created,
        );
        position = BigInt(info.lastInsertRowid);
        recorded.push(
          committedEvent(streamId, revision, position, event.id, event.type, data, metadata, createdAt),
        );
      }
      return { nextExpectedRevision: revision, position };
    };
    // A single INSERT that fails is undone by SQLite on its own; several need a savepoint, which a nested
    // better-sqlite3 transaction provides (ROLLBACK TO on throw, the outer transaction carries on).
    const result = events.length === 1 ? write() : this.db.transaction(write)();
    this.written?.push(...recorded);
    return result;
  }

  /**
   * EventStoreDB-style idempotent retry: when exactly these ids already sit in this stream where this append
   * would have put them, report the original result and write nothing.
   */
  private idempotentResult(
    streamId: string,
    events: readonly EventData[],
    expected: ExpectedRevision,
    current: bigint | null,
  ): AppendResult | null {
    if (current === null || events.length === 0) return null;
    let start: bigint;
    if (typeof expected === 'bigint') {
      if (expected >= current) return null; // nothing was written after the expected revision
      start = expected + 1n;
    } else if (expected === 'no_stream') {
      start = 0n;
    } else {
      // `any` / `stream_exists` say nothing about where the events went: find the first id.
      const found = this.statements.findEvent.get(events[0].id);
      if (!found || found.stream_id !== streamId) return null;
      start = found.revision;
    }
    const rows = this.statements.streamSlice.all(streamId, start, events.length);
    if (rows.length !== events.length || rows.some((row, i) => row.event_id !== events[i].id)) return null;
    const last = rows[rows.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }
}

function matches(expected: ExpectedRevision, current: bigint | null): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === null;
    case 'stream_exists':
      return current !== null;
    default:
      return current === expected;
  }
}

function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

function duplicateIdError(streamId: string, cause: unknown): Error {
  return new Error(`Append to ${streamId} reuses an event id that is already stored`, { cause });
}

/** Errors that mean "this store cannot write now" become the port's StoreUnavailable. */
export function toStoreError(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return error;
  if (/^SQLITE_(FULL|READONLY|IOERR|CORRUPT|NOTADB|CANTOPEN|BUSY|LOCKED|PERM)/.test(code)) {
    return new StoreUnavailable(`Event store cannot write: ${(error as Error).message} (${code})`, {
      cause: error,
    });
  }
  return error;
}
