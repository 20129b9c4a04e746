/**
 * The event store port. Plain TypeScript: no NestJS, no client library.
 *
 * Semantics follow EventStoreDB so that every adapter (embedded SQLite, EventStoreDB) behaves alike:
 * - Stream revisions start at 0 and have no gaps. Global positions are strictly increasing in commit order,
 *   but need not be contiguous (EventStoreDB positions are byte offsets).
 * - Revisions and positions are bigints here and decimal strings at every JSON edge.
 * - `$all` never contains system events (types starting with `$`).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who did it and why; the command layer fills these on every event. */
export interface EventMetadata extends JsonObject {
  correlation_id: string;
  causation_id: string;
  /** The tenant. Every read model row and every query is scoped by it. */
  customer_id: string;
  /** Who asked: `key:<api-key-id>`, `system:<component>` (sagas, timers) or `media:<key-id>`. */
  actor: string;
}

/** An event about to be appended. `id` must be unique; re-appending the same ids is idempotent. */
export interface EventData<Type extends string = string, Data extends JsonObject = JsonObject> {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  streamId: string;
  /** Position within its stream, from 0. */
  revision: bigint;
  /** Position in `$all`. */
  position: bigint;
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  /** When the store committed it. */
  created: Date;
}

/**
 * - `no_stream`: the stream must not exist yet.
 * - `stream_exists`: the stream must have at least one event.
 * - `any`: no check (avoid for aggregates: it loses the optimistic concurrency guarantee).
 * - a bigint: the revision of the stream's last event.
 */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | bigint;

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: pass it as `expectedRevision` next time. */
  nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Default: `start` when reading forwards, `end` when reading backwards. */
  fromRevision?: bigint | 'start' | 'end';
  direction?: Direction;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Inclusive, as in EventStoreDB. Default: `start` forwards, `end` backwards. */
  fromPosition?: bigint | 'start' | 'end';
  direction?: Direction;
  maxCount?: number;
}

export interface SubscriptionFilter {
  /** Keep events whose stream id starts with one of these, e.g. `call-`. */
  streamPrefixes?: string[];
  /** Keep events of these types only. */
  eventTypes?: string[];
}

export interface SubscribeToAllOptions {
  /**
   * Exclusive: the first event delivered is the first one *after* this position.
   * `start` delivers everything; `end` only what is committed after subscribing. Default `start`.
   */
  fromPosition?: bigint | 'start' | 'end';
  filter?: SubscriptionFilter;
}

/**
 * A catch-up subscription: delivers stored events, then live ones, in `$all` order, with no gap and no
 * duplicate, until `unsubscribe()` or until the consumer stops iterating. Iterating ends (does not throw)
 * after `unsubscribe()`. An error the adapter cannot recover from is thrown from the iterator.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  unsubscribe(): Promise<void>;
  /**
   * Optional: up to `max` events that are available now, taken without waiting, exactly the ones (and in
   * the order) the iterator's next `next()` calls would return; empty when the next one must be waited
   * for. Lets a consumer take a page at once instead of paying a promise per event.
   */
  takeAvailable?(max: number): RecordedEvent[];
}

export interface EventStore {
  /**
   * Appends atomically. Throws `WrongExpectedVersion` when the stream is not at `expectedRevision`,
   * except when exactly these event ids were already appended at that revision: then it writes nothing
   * and returns the original result (idempotent retry, as in EventStoreDB).
   */
  appendToStream(
    streamId: string,
    events: readonly EventData[],
    options: AppendOptions,
  ): Promise<AppendResult>;

  /** Throws `StreamNotFound` (on iteration) when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  subscribeToAll(options?: SubscribeToAllOptions): Subscription;

  /** Position of the last event in `$all`, or null when the store is empty. */
  headPosition(): Promise<bigint | null>;

  /** Ends subscriptions and releases the connection or file. */
  close(): Promise<void>;
}

/** DI token for the configured adapter. */
export const EVENT_STORE = Symbol('EVENT_STORE');
