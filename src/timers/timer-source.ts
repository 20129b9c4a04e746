import { Logger } from '@nestjs/common';
import type { Decider, DomainEvent } from '../domain/decider';

/** A timer an aggregate's state is waiting for. `kind` is unique per stream. */
export interface Timer {
  kind: string;
  /** ISO-8601 instant. */
  dueAt: string;
}

/**
 * An aggregate whose timers are data derived from its events (call: dial timeout, max duration, hangup
 * confirmation; conference: timeout). The timers projection folds each stream of `streamPrefix` with the
 * decider's `evolve` and keeps `dueTimers(state)`; the worker sends `command(timer, state, at)` to the
 * decider when one is due.
 *
 * `decide` must treat an early, late, repeated or stale firing as a no-op (re-check the due time against
 * the current state): the projection may lag, and firing is at-least-once across crashes.
 */
// biome-ignore lint/suspicious/noExplicitAny: one registry holds sources of different aggregates; each is typed where defined
export interface TimerSource<Command = any, Event extends DomainEvent = any, State = any> {
  /** Stable forever: stored with each stream's state. */
  readonly name: string;
  /** e.g. `call-`; prefixes of different sources must not overlap. */
  readonly streamPrefix: string;
  readonly decider: Decider<Command, Event, State>;
  dueTimers(state: State): readonly Timer[];
  command(timer: Timer, state: State, at: string): Command;
  /**
   * True when this state can never want a timer again (a hung-up call, a terminated conference): the
   * projection then drops the stream's state to keep its table small and ignores later events.
   */
  finished?(state: State): boolean;
  /**
   * Optional, for catch-up: a stream whose first event (revision 0) is of type `created` is `finished` at
   * its first event of type `ended`, whatever lies between (and the projection folds no further). A batch
   * holding such a stream from its start to its end then records it as finished without folding it (most
   * streams of an old log). Must agree with `evolve` and `finished`: tested per source.
   */
  readonly lifespan?: { readonly created: Event['type']; readonly ended: Event['type'] };
}

/** Two sources claiming overlapping stream prefixes would fold each other's events. */
export class ConflictingTimerSource extends Error {
  override readonly name = 'ConflictingTimerSource';
}

/**
 * The timer sources of the app. Features register theirs in `onModuleInit`; the timers projection reads
 * the list when it starts (on application bootstrap). ADDING OR CHANGING A SOURCE needs a new version of
 * the timers projection (`TIMERS_PROJECTION_VERSION`), so the new source's history is folded in from the
 * start by a blue/green rebuild.
 */
export class TimerRegistry {
  private readonly logger = new Logger(TimerRegistry.name);
  private readonly byName = new Map<string, TimerSource>();
  private sealed = false;

  register(source: TimerSource): void {
    for (const other of this.byName.values()) {
      if (other.name === source.name || overlaps(other.streamPrefix, source.streamPrefix))
        throw new ConflictingTimerSource(`Timer source ${source.name} conflicts with ${other.name}`);
    }
    if (this.sealed)
      this.logger.warn(
        `Timer source ${source.name} registered after start: its streams are folded from now on`,
      );
    this.byName.set(source.name, source);
  }

  /** Called when the projection starts: later registrations are logged, their history is not folded. */
  seal(): void {
    this.sealed = true;
  }

  get(name: string): TimerSource | undefined {
    return this.byName.get(name);
  }

  forStream(streamId: string): TimerSource | undefined {
    for (const source of this.byName.values()) if (streamId.startsWith(source.streamPrefix)) return source;
    return undefined;
  }

  all(): TimerSource[] {
    return [...this.byName.values()];
  }
}

function overlaps(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}
