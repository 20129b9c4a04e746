import type { RecordedEvent } from '../event-store/event-store';

/** Which events a reactor wants; both lists narrow (AND), an absent list keeps everything. */
export interface ReactorFilter {
  /** Keep events of these types only, e.g. `['CallCreated']`. */
  eventTypes?: string[];
  /** Keep events whose stream id starts with one of these, e.g. `['call-']`. */
  streamPrefixes?: string[];
}

/**
 * A process manager (saga): reacts to stored events by dispatching commands or asking a gateway.
 *
 * Delivery is AT-LEAST-ONCE: the checkpoint is saved after the reaction, so a crash in between delivers
 * the event again, and a reactor registered for the first time replays the whole history. Reactions must
 * therefore be idempotent and must check the current state before acting on the outside world (never dial
 * a call that is already hung up). Commands are idempotent by construction: their deciders absorb repeats.
 *
 * Errors: a `DomainError` (other than `conflict`/`unavailable`) means the command contradicts the record and
 * retrying cannot help: it is logged and the event is done. Anything else is retried with backoff, holding
 * back every later event of this reactor (order is kept per reactor).
 */
export interface Reactor {
  /** Stable forever: it keys the checkpoint. Renaming a reactor replays history under the new name. */
  readonly name: string;
  readonly filter?: ReactorFilter;
  react(event: RecordedEvent): Promise<void>;
  /**
   * Optional: reacts to several consecutive events at once, exactly as `react` would one after the other
   * (say, one store append for all of them). The runner hands it the events the subscription has ready, at
   * most `maxBatch`, and saves the checkpoint after the batch. Any error retries the whole batch, so it is
   * idempotent like `react`; a final error (see `isFinal`) makes the runner redo that batch event by event
   * with `react`, so only the refused event is skipped.
   */
  reactBatch?(events: readonly RecordedEvent[]): Promise<void>;
  readonly maxBatch?: number;
}
