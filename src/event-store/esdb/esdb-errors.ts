import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { ExpectedRevision } from '../event-store';
import {
  describeExpected,
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedVersion,
} from '../event-store.errors';

/** Maps `@eventstore/db-client` failures onto the port's typed errors. */

/**
 * gRPC status codes (from the gRPC spec). Some calls of the client reject with a raw gRPC error instead of
 * its own error classes, e.g. the server-features probe that precedes the first append.
 */
const GrpcCode = {
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

const UNREACHABLE_CODES: ReadonlySet<number> = new Set([GrpcCode.UNAVAILABLE, GrpcCode.DEADLINE_EXCEEDED]);
const TRANSIENT_CODES: ReadonlySet<number> = new Set(Object.values(GrpcCode));

interface Context {
  streamId?: string;
  expected?: ExpectedRevision;
}

export function toPortError(error: unknown, context: Context = {}): Error {
  if (error instanceof WrongExpectedVersion || error instanceof StreamNotFound) return error;
  if (error instanceof StoreUnavailable) return error;
  if (error instanceof WrongExpectedVersionError) {
    const expected = context.expected ?? error.expectedVersion;
    return new WrongExpectedVersion(
      context.streamId ?? error.streamName,
      describeExpected(expected),
      error.actualVersion,
    );
  }
  if (error instanceof StreamNotFoundError) return new StreamNotFound(context.streamId ?? error.streamName);
  if (isUnreachable(error)) {
    return new StoreUnavailable(`EventStoreDB is unavailable: ${messageOf(error)}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function isUnreachable(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError ||
    UNREACHABLE_CODES.has(grpcCodeOf(error) ?? -1)
  );
}

/**
 * Worth re-establishing a subscription after: the server or the network went away or hiccuped. Access
 * denied, bad arguments or events this adapter cannot read are not: retrying would fail the same way.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof StoreUnavailable || isUnreachable(error) || error instanceof UnknownError) return true;
  if ((error as { code?: unknown })?.code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  return TRANSIENT_CODES.has(grpcCodeOf(error) ?? -1);
}

function grpcCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Rejects with `StoreUnavailable` when `operation` has not settled within `ms`. Some client calls carry
 * no deadline of their own (the server-features probe, the shared batch-append stream), so without this a
 * silent or half-open server would leave callers waiting for TCP to give up.
 */
export async function withinDeadline<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailable(`${what}: no answer from EventStoreDB in ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([operation, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
