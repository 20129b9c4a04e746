import type { Decider, DomainEvent } from '../domain/decider';
import type { DomainError } from '../domain/domain-error';
import type { Timer, TimerSource } from '../timers/timer-source';

/**
 * Everything the generic command path needs to know about one kind of stream (call, conference,
 * conferencecall, customer), declared once next to its decider. The executor reads the tenant rule from
 * here, so no handler can forget it: a stream whose owner is not the caller answers exactly like a stream
 * that does not exist, before If-Match is compared and before anything is decided.
 */
export interface StreamType<Command, Event extends DomainEvent, State> {
  /** Stream ids are `<prefix><id>` (`call-<id>`), so an EventStoreDB category (`$ce-call`) groups them. */
  readonly streamPrefix: string;
  readonly decider: Decider<Command, Event, State>;
  /** The tenant that owns this state, or null while the stream holds nothing. */
  ownerOf(state: State): string | null;
  /** The one answer for an unknown id and for another tenant's id alike. */
  notFound(id: string): DomainError;
  /** Commands that may start a stream: the only ones allowed on a stream nobody owns yet. */
  creates(command: Command): boolean;
  /**
   * The read models a write must be visible in before the API answers (read-your-writes); undefined waits
   * for every read model of the instance.
   */
  readonly readModels?: readonly string[];
  /** Durable timers derived from state, and the decider command a due timer sends. */
  readonly timers?: {
    /** Stable forever: the timers projection stores it with each stream's state. */
    readonly name: string;
    dueTimers(state: State): readonly Timer[];
    command(timer: Timer, state: State, at: string): Command;
    finished(state: State): boolean;
    /** See `TimerSource.lifespan`. */
    readonly lifespan?: { readonly created: Event['type']; readonly ended: Event['type'] };
  };
}

export const streamIdOf = <C, E extends DomainEvent, S>(type: StreamType<C, E, S>, id: string): string =>
  `${type.streamPrefix}${id}`;

/** The timer worker's view of a stream type: one idiom for every aggregate's timers. */
export function timerSourceOf<C, E extends DomainEvent, S>(type: StreamType<C, E, S>): TimerSource<C, E, S> {
  const timers = type.timers;
  if (!timers) throw new Error(`stream type ${type.streamPrefix} has no timers`);
  return {
    name: timers.name,
    streamPrefix: type.streamPrefix,
    decider: type.decider,
    dueTimers: timers.dueTimers,
    command: timers.command,
    finished: timers.finished,
    lifespan: timers.lifespan,
  };
}
