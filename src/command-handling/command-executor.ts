import type { Decider, DomainEvent } from '../domain/decider';
import { DomainError } from '../domain/domain-error';
import type { IdGenerator } from '../domain/id-generator';
import type { EventStore, JsonObject, RecordedEvent } from '../event-store/event-store';
import { StreamNotFound, WrongExpectedVersion } from '../event-store/event-store.errors';
import { type CommandMetadata, toEventMetadata } from './command-metadata';
import type { CommandObserver, CommandResult } from './command-observer';
import { type FoldedState, FoldedStateCache } from './folded-state-cache';
import { type StreamType, streamIdOf } from './stream-type';

export interface ExecuteRequest<Command, Event extends DomainEvent, State> {
  decider: Decider<Command, Event, State>;
  streamId: string;
  command: Command;
  metadata: CommandMetadata;
  /**
   * The revision the client last saw (HTTP If-Match). When set, a stream at any other revision fails with
   * `precondition_failed` instead of being retried: the client decided on stale state.
   */
  ifMatch?: bigint;
  /**
   * The tenant rule, checked on the current state BEFORE If-Match and before deciding: a stream another
   * tenant owns, or nobody owns yet (unless the command creates it), answers `notFound`, whatever the headers.
   */
  owner?: OwnerRule<Command, State>;
  /**
   * The stream cannot exist yet (a fresh time-ordered id this process just generated): decide on the
   * initial state and append with `no_stream` without reading. Should the id exist after all, the append
   * fails and the command is decided again on the stream as read.
   */
  fresh?: boolean;
}

export interface OwnerRule<Command, State> {
  customerId: string;
  ownerOf(state: State): string | null;
  creates(command: Command): boolean;
  notFound(): DomainError;
}

/** Options of `run`: the client's If-Match, and whether the id is a fresh one (see `ExecuteRequest`). */
export interface RunOptions {
  ifMatch?: bigint;
  fresh?: boolean;
}

export interface CommandOutcome<Event extends DomainEvent, State> {
  /** State after the new events (or the current state when the command was a no-op). */
  state: State;
  /** Events this command appended; empty for a no-op. */
  events: readonly Event[];
  /** Revision of the stream's last event, or null when the stream still does not exist. */
  revision: bigint | null;
  /**
   * Global position of the stream's last event: wait for projections to pass it to read your own write.
   * Null when the stream still does not exist.
   */
  position: bigint | null;
}

export interface CommandExecutorOptions {
  /** How often a command is re-decided after a concurrent writer won. */
  maxAttempts?: number;
  /** Upper bound of the random pause before a retry; it doubles per attempt, capped at 100 ms. */
  retryBaseDelayMs?: number;
  /** Streams whose folded state is kept in memory (see FoldedStateCache); 0 turns the cache off. */
  stateCacheSize?: number;
  /** Told how each command ended (metrics); optional. */
  observer?: CommandObserver;
}

/**
 * The generic command handler: read the stream, fold it, decide, append at the exact revision read.
 * A concurrent append makes the append fail with WrongExpectedVersion; the command is then decided again on
 * fresh state, a bounded number of times, so rules are always checked against the state they change.
 */
export class CommandExecutor {
  private readonly maxAttempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly cache: FoldedStateCache;
  private readonly observer?: CommandObserver;

  constructor(
    private readonly store: EventStore,
    private readonly ids: IdGenerator,
    options: CommandExecutorOptions = {},
  ) {
    // Twenty clients joining one conference at once all contend for its stream: each round, one wins.
    this.maxAttempts = options.maxAttempts ?? 25;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 1;
    this.cache = new FoldedStateCache(options.stateCacheSize ?? 10_000);
    this.observer = options.observer;
  }

  /** A command on the stream `id` of a stream type, under that type's tenant rule. */
  run<Command, Event extends DomainEvent, State>(
    type: StreamType<Command, Event, State>,
    id: string,
    command: Command,
    metadata: CommandMetadata,
    options: RunOptions = {},
  ): Promise<CommandOutcome<Event, State>> {
    return this.execute({
      decider: type.decider,
      streamId: streamIdOf(type, id),
      command,
      metadata,
      ifMatch: options.ifMatch,
      fresh: options.fresh,
      owner: {
        customerId: metadata.customerId,
        ownerOf: (state) => type.ownerOf(state),
        creates: (c) => type.creates(c),
        notFound: () => type.notFound(id),
      },
    });
  }

  async execute<Command, Event extends DomainEvent, State>(
    request: ExecuteRequest<Command, Event, State>,
  ): Promise<CommandOutcome<Event, State>> {
    const started = performance.now();
    const attempts = { count: 0 };
    const { streamId, command, metadata } = request;
    const observe = (result: CommandResult, events: number, error?: unknown) =>
      this.observer?.executed(result, attempts.count, (performance.now() - started) / 1000, {
        streamId,
        command,
        metadata,
        events,
        error,
      });
    try {
      const outcome = await this.decideAndAppend(request, attempts);
      observe(outcome.events.length > 0 ? 'appended' : 'unchanged', outcome.events.length);
      return outcome;
    } catch (error) {
      observe(resultOfError(error), 0, error);
      throw error;
    }
  }

  private async decideAndAppend<Command, Event extends DomainEvent, State>(
    request: ExecuteRequest<Command, Event, State>,
    attempts: { count: number },
  ): Promise<CommandOutcome<Event, State>> {
    const { decider, streamId, command, metadata, ifMatch, owner } = request;
    // Where the first attempt starts: nothing to read for a fresh id, else what this instance last saw.
    let known: FoldedState<State> | undefined = request.fresh
      ? { state: decider.initialState, revision: null, position: null }
      : this.cache.get<State>(streamId, decider.evolve);
    for (let attempt = 1; ; attempt++) {
      attempts.count = attempt;
      const assumed = known !== undefined;
      const current = known ?? (await this.load(decider, streamId));
      known = undefined;
      // An assumed state (cached or fresh) may be behind the store: whatever it decides without appending
      // (a refusal, a no-op, a stale If-Match) is re-checked on the stream as read before it is answered.
      // That read, like the one after a lost race, is `load`: only the events after what was folded.
      let events: readonly Event[];
      try {
        if (owner) checkOwner(owner, command, current.state);
        if (ifMatch !== undefined && current.revision !== ifMatch)
          throw stale(streamId, ifMatch, current.revision);
        events = decider.decide(command, current.state);
      } catch (error) {
        if (assumed) {
          attempt--;
          continue;
        }
        throw error;
      }
      if (events.length === 0) {
        if (assumed) {
          attempt--;
          continue;
        }
        return { ...current, events };
      }

      const eventMetadata = toEventMetadata(metadata);
      try {
        const result = await this.store.appendToStream(
          streamId,
          events.map((event) => ({
            id: this.ids.newId(),
            type: event.type,
            data: event.data,
            metadata: eventMetadata,
          })),
          { expectedRevision: current.revision ?? 'no_stream' },
        );
        const state = events.reduce(decider.evolve, current.state);
        const written = { state, revision: result.nextExpectedRevision, position: result.position };
        this.cache.set(streamId, decider.evolve, written);
        return { ...written, events };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (ifMatch !== undefined) throw stale(streamId, ifMatch, error.actual);
        // The assumed state was behind (another writer, or a "fresh" id that existed): read and decide
        // again at once. Only a lost race on state as read counts as an attempt and pauses.
        if (assumed) {
          attempt--;
          continue;
        }
        if (attempt >= this.maxAttempts) {
          throw new DomainError('conflict', 'concurrency.conflict', `${streamId} kept changing; try again`, {
            attempts: attempt,
          });
        }
        // Jittered: contenders that lost together must not all come back in the same group commit.
        const bound = Math.min(100, this.retryBaseDelayMs * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
      }
    }
  }

  /**
   * Current state of a stream (or as of `untilRevision`, for queries such as "state at revision N"), read
   * from the store. A state this instance folded before (`FoldedStateCache`) is the starting point when it
   * is not past `untilRevision`: only the events after its revision are read. Exact, not an assumption: the
   * state at revision N is a pure function of the stream's first N+1 events, and those never change in an
   * append-only log. A long stream (a conference with hundreds of participants) then costs its new events
   * per load, not its whole history again.
   */
  async load<Event extends DomainEvent, State>(
    decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
    streamId: string,
    untilRevision?: bigint,
  ): Promise<{ state: State; revision: bigint | null; position: bigint | null }> {
    const empty: FoldedState<State> = { state: decider.initialState, revision: null, position: null };
    const cached = this.cache.get<State>(streamId, decider.evolve);
    let start =
      cached?.revision != null && (untilRevision === undefined || cached.revision <= untilRevision)
        ? cached
        : empty;
    const recorded: RecordedEvent[] = [];
    try {
      const from = start.revision === null ? undefined : { fromRevision: start.revision + 1n };
      for await (const event of this.store.readStream(streamId, from)) {
        if (untilRevision !== undefined && event.revision > untilRevision) break;
        recorded.push(event);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
      start = empty; // no stream at all, whatever was folded before
    }
    const last = recorded.at(-1);
    const folded = {
      state: recorded.reduce(
        (state, event) => decider.evolve(state, toDomainEvent(event) as Event),
        start.state,
      ),
      revision: last?.revision ?? start.revision,
      position: last?.position ?? start.position,
    };
    if (untilRevision === undefined) this.cache.set(streamId, decider.evolve, folded);
    return folded;
  }
}

function checkOwner<Command, State>(rule: OwnerRule<Command, State>, command: Command, state: State): void {
  const owner = rule.ownerOf(state);
  if (rule.creates(command)) return; // the decider refuses a taken id, with one answer for every tenant
  if (owner !== rule.customerId) throw rule.notFound();
}

export function toDomainEvent(event: RecordedEvent): DomainEvent<string, JsonObject> {
  return { type: event.type, data: event.data };
}

function resultOfError(error: unknown): CommandResult {
  if (!(error instanceof DomainError)) return 'failed';
  if (error.kind === 'precondition_failed') return 'stale';
  return error.kind === 'conflict' ? 'conflict' : 'rejected';
}

/**
 * The `ifMatch` of a weak ETag (`W/"3"`): If-Match compares strongly (RFC 9110 §13.1.1), so a weak one
 * matches no revision; the request then answers like a stale one (412 on an own resource, 404 elsewhere).
 */
export const NO_REVISION_MATCHES = -1n;

function stale(streamId: string, expected: bigint, actual: bigint | 'no_stream' | null): DomainError {
  return new DomainError(
    'precondition_failed',
    'revision.stale',
    expected === NO_REVISION_MATCHES
      ? `If-Match with a weak ETag never matches (strong comparison); send the ETag as given`
      : `${streamId} has changed since revision ${expected}`,
    {
      expected_revision: expected.toString(),
      current_revision: actual === null || actual === 'no_stream' ? null : actual.toString(),
    },
  );
}
