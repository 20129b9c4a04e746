import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The global position a request's writes reached, so the HTTP layer can hand it to the client as a
 * consistency token (`Switchboard-Position`) without every controller threading it through. Set where the
 * position is known (ReadYourWrites, after each command), read once when the response is sent.
 */
interface WriteScope {
  position: bigint | null;
}

const scope = new AsyncLocalStorage<WriteScope>();

/** Runs `next` with a fresh scope (one per mutating request). */
export function withWriteScope<T>(next: () => T): T {
  return scope.run({ position: null }, next);
}

export function recordWritePosition(position: bigint): void {
  const current = scope.getStore();
  if (current && (current.position === null || position > current.position)) current.position = position;
}

/** The highest position written in this scope, or null (no scope, or nothing written). */
export function writtenPosition(): bigint | null {
  return scope.getStore()?.position ?? null;
}
