import type { Clock } from '../../src/domain/clock';
import type { IdGenerator } from '../../src/domain/id-generator';

/** A clock that stands still until told to move. */
export class FixedClock implements Clock {
  private current: number;
  constructor(start: string | Date = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }
}

/** Predictable, still time-ordered and UUID-shaped ids: 00000000-0000-7000-8000-000000000001, ... */
export class SequentialIds implements IdGenerator {
  private next = 1;
  constructor(private readonly prefix = '00000000') {}
  newId(): string {
    const n = (this.next++).toString(16).padStart(12, '0');
    return `${this.prefix}-0000-7000-8000-${n}`;
  }
}
