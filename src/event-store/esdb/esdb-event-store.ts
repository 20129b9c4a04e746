import { BACKWARDS, END, EventStoreDBClient, FORWARDS, START } from '@eventstore/db-client';
import type {
  AppendOptions,
  AppendResult,
  EventData,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store';
import { StoreUnavailable } from '../event-store.errors';
import { toPortError, withinDeadline } from './esdb-errors';
import { toClientEvent, toClientExpected, toRecordedEvent } from './esdb-mapping';
import { CLIENT_BUFFER, guardedRead, readAllWithoutSystemEvents } from './esdb-reads';
import { DEFAULT_RESUBSCRIBE, EsdbSubscription, type ResubscribePolicy } from './esdb-subscription';

export interface EsdbEventStoreOptions {
  /**
   * Longest wait for an append, or for the next event of a read, before `StoreUnavailable`. Commands
   * should fail fast (HTTP 503) rather than hang on an unreachable server. Default 1500 ms, so that a
   * command against a server that accepts connections but never answers gets its 503 within 2 s.
   */
  operationTimeoutMs?: number;
  /** Re-subscription after a dropped subscription. */
  resubscribe?: Partial<ResubscribePolicy>;
}

const DEFAULT_OPERATION_TIMEOUT_MS = 1_500;

/**
 * The event store port on EventStoreDB (`@eventstore/db-client`). The only code that knows the client.
 *
 * - Positions: the port's position is the commit position. Events appended over gRPC are self-committed
 *   (commit = prepare), so a port position converts back to `{ commit: p, prepare: p }` exactly.
 * - `$all` is read and subscribed without system events (`$`-types).
 * - An append that times out may still have been written: retrying it with the same event ids and
 *   expected revision is safe (idempotent), which is what the command layer does.
 */
export class EsdbEventStore implements EventStore {
  private readonly timeoutMs: number;
  private readonly resubscribe: ResubscribePolicy;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private closed = false;

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions,
  ) {
    this.timeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    this.resubscribe = { ...DEFAULT_RESUBSCRIBE, ...options.resubscribe };
  }

  /** E.g. `esdb://localhost:2113?tls=false`. Throws on a malformed string; does not connect yet. */
  static fromConnectionString(connectionString: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async appendToStream(
    streamId: string,
    events: readonly EventData[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.ensureOpen();
    if (events.length === 0) throw new RangeError(`Append to ${streamId} needs at least one event`);
    const expected = options.expectedRevision;
    try {
      const result = await withinDeadline(
        this.client.appendToStream(streamId, events.map(toClientEvent), {
          expectedRevision: toClientExpected(expected),
          deadline: this.timeoutMs,
        }),
        this.timeoutMs,
        `append to ${streamId}`,
      );
      // The commit position of an append is its last event's. A server may omit it when the append was
      // an idempotent replay; the stream then says where that event is.
      const position =
        result.position?.commit ?? (await this.positionOfRevision(streamId, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (error) {
      throw toPortError(error, { streamId, expected });
    }
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    this.ensureOpen();
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return;
    const read = this.client.readStream(
      streamId,
      {
        fromRevision: options.fromRevision ?? (forwards ? START : END),
        direction: forwards ? FORWARDS : BACKWARDS,
        maxCount,
        // Stream reads load one aggregate for a command: short, and a command must fail fast.
        deadline: this.timeoutMs,
      },
      { highWaterMark: CLIENT_BUFFER },
    );
    for await (const resolved of guardedRead(read, this.timeoutMs, { streamId, what: `read ${streamId}` })) {
      if (resolved.event) yield toRecordedEvent(resolved.event);
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const direction = options.direction ?? 'forwards';
    return {
      // Checked when iteration starts, as a generator would: a closed store rejects the first next().
      [Symbol.asyncIterator]: () => {
        this.ensureOpen();
        return readAllWithoutSystemEvents(
          this.client,
          {
            from: options.fromPosition ?? (direction === 'forwards' ? 'start' : 'end'),
            direction,
            maxCount: options.maxCount ?? Number.POSITIVE_INFINITY,
          },
          this.timeoutMs,
        )[Symbol.asyncIterator]();
      },
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.ensureOpen();
    const subscription: EsdbSubscription = new EsdbSubscription(this.client, options, {
      timeoutMs: this.timeoutMs,
      resubscribe: this.resubscribe,
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint | null> {
    for await (const event of this.readAll({ direction: 'backwards', maxCount: 1 })) return event.position;
    return null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Shutdown must end: an unsubscribe or a dispose that waits on a stream the server never closes (seen
    // after an outage, under load) would hold the process, so each step gets the operation timeout.
    await settleWithin(
      Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe())),
      this.timeoutMs,
    );
    await settleWithin(this.client.dispose(), this.timeoutMs);
  }

  private async positionOfRevision(streamId: string, revision: bigint): Promise<bigint> {
    for await (const event of this.readStream(streamId, {
      fromRevision: revision,
      direction: 'backwards',
      maxCount: 1,
    })) {
      return event.position;
    }
    throw new Error(`EventStoreDB reported revision ${revision} of ${streamId}, which cannot be read`);
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailable('Event store is closed');
  }
}

/** Waits for `work` (ignoring its outcome), at most `ms`. */
async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
