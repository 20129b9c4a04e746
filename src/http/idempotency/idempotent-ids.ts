import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { IdGenerator } from '../../domain/id-generator';

/** The id a creation sent with an Idempotency-Key gives its new resource, the same on every attempt. */
interface CreationScope {
  readonly resourceId: string;
  handedOut: boolean;
}

const scopes = new AsyncLocalStorage<CreationScope>();

/**
 * A UUIDv7 (time-ordered, like every other id here) whose timestamp is when the key was first seen and
 * whose random bits are a hash of tenant and key: a retry after a crash recomputes the same id.
 */
export function resourceIdForKey(customerId: string, key: string, firstSeenMs: number): string {
  const bytes = createHash('sha256').update(`${customerId}\n${key}`).digest().subarray(0, 16);
  bytes.writeUIntBE(firstSeenMs, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Runs a creation so that the first id it asks for is `resourceId`. */
export function runCreation<T>(resourceId: string, run: () => T): T {
  return scopes.run({ resourceId, handedOut: false }, run);
}

/**
 * Wraps the id generator so that, inside `runCreation`, the FIRST id asked for is the key's resource id.
 * Creation handlers name their new resource before anything else (conference, participant, call without a
 * client id), so the same key names the same resource on every attempt and a retry after a crash finds
 * what the first attempt committed. Every later id (event ids, ids asked by reactions that inherit the
 * async context) stays random: deterministic event ids could collide when a retry decides other events.
 */
export function idempotentCreationIds(fallback: IdGenerator): IdGenerator {
  return {
    newId: () => {
      const scope = scopes.getStore();
      if (!scope || scope.handedOut) return fallback.newId();
      scope.handedOut = true;
      return scope.resourceId;
    },
  };
}
