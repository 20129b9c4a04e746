import type { Decider, DomainEvent } from '../../src/domain/decider';
import { DomainError } from '../../src/domain/domain-error';

/**
 * given(events).when(command).then(events) for pure deciders.
 *
 *   spec(callDecider).given([dialed]).when(answer).then([answered]);
 *   spec(callDecider).given([dialed, hungUp]).when(answer).thenRejects('call.already_ended');
 */
export function spec<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: readonly Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState));
          return {
            // biome-ignore lint/suspicious/noThenProperty: the given/when/then DSL is synchronous and never awaited
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            /** No events: the command was a harmless repeat. */
            thenNothing(): void {
              expect(run()).toEqual([]);
            },
            thenRejects(code: string, details?: Record<string, unknown>): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(DomainError);
              expect((thrown as DomainError).code).toBe(code);
              if (details) expect((thrown as DomainError).details).toMatchObject(details);
            },
          };
        },
      };
    },
  };
}
