import type { LoggerService } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '../../src/event-store/event-store';
import type { Reactor, ReactorFilter } from '../../src/reactors/reactor';
import type { SequentialIds } from '../support/fixed-clock';

/** Appends one event per type to the stream; returns the last position. */
export async function appendEvents(
  store: EventStore,
  streamId: string,
  types: readonly string[],
  ids: SequentialIds,
): Promise<bigint> {
  const events = types.map((type) => ({
    id: ids.newId(),
    type,
    data: { streamId },
    metadata: { correlation_id: 'c', causation_id: 'c', customer_id: 'customer-1', actor: 'system:test' },
  }));
  const result = await store.appendToStream(streamId, events, { expectedRevision: 'any' });
  return result.position;
}

/** Records what it saw; `behaviour` may throw to simulate failures. */
export class RecordingReactor implements Reactor {
  readonly seen: RecordedEvent[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(
    readonly name: string,
    readonly filter?: ReactorFilter,
    public behaviour: (event: RecordedEvent, attempt: number) => Promise<void> | void = () => undefined,
  ) {}

  private attempts = new Map<string, number>();

  async react(event: RecordedEvent): Promise<void> {
    const attempt = (this.attempts.get(event.id) ?? 0) + 1;
    this.attempts.set(event.id, attempt);
    this.seen.push(event);
    try {
      await this.behaviour(event, attempt);
    } finally {
      this.waiters = this.waiters.filter((waiter) => {
        if (this.seen.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    }
  }

  /** Resolves once `count` reactions (attempts included) have run; rejects after `timeoutMs`. */
  waitForCalls(count: number, timeoutMs = 2_000): Promise<void> {
    if (this.seen.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: ${this.seen.length} of ${count} reactions`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  types(): string[] {
    return this.seen.map((event) => `${event.streamId}:${event.type}`);
  }
}

export class RecordingLogger implements LoggerService {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  log(): void {}
  error(message: string): void {
    this.errors.push(message);
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
}

/** Resolves when `condition` holds, checked every few ms; rejects after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
