import { hostname } from 'node:os';
import type { IdGenerator } from '../domain/id-generator';

/**
 * A lease holder id unique per process START (see `lease.ts`): host and pid tell operators which instance
 * holds a lease; the fresh id keeps a restarted process (same host, maybe the same pid in a container)
 * from inheriting its predecessor's lease and token.
 */
export function newHolderId(ids: IdGenerator): string {
  return `${hostname()}:${process.pid}:${ids.newId()}`;
}
