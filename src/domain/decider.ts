import type { JsonObject } from '../event-store/event-store';

/** A domain event as deciders see it: a stable past-tense type and JSON data. */
export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  type: Type;
  data: Data;
}

/**
 * An aggregate as a pure function pair. No I/O, no clock, no random ids: time, ids and the actor arrive
 * inside the command, so the same command on the same state always decides the same events.
 * `decide` throws a `DomainError` when the command breaks a rule; returning no events means "nothing to
 * do" (a repeated signal, a second hangup) and is not an error.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** Compile-time exhaustiveness for switches over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
