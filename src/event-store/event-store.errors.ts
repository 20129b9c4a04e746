/** Typed errors of the event store port. Adapters map their own failures onto these. */

export type ActualRevision = bigint | 'no_stream';

/** The stream was not at the revision the append expected: someone else wrote first. */
export class WrongExpectedVersion extends Error {
  override readonly name = 'WrongExpectedVersion';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: ActualRevision,
  ) {
    super(`Stream ${streamId} expected at ${expected}, actual ${String(actual)}`);
  }
}

export class StreamNotFound extends Error {
  override readonly name = 'StreamNotFound';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} not found`);
  }
}

/** The store cannot be reached or cannot write (server down, disk full, read-only file). HTTP 503. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function describeExpected(expected: bigint | string): string {
  return typeof expected === 'bigint' ? expected.toString() : expected;
}
