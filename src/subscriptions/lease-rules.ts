import { type Lease, LeaseLost, type LeaseTiming } from './lease';

/**
 * The lease rules of the port, as pure functions over the one stored record of a lease, so that every
 * adapter judges alike and only differs in how it reads and writes that record atomically.
 */
export interface LeaseRecord {
  /** Null once released: the lease is free, and its token is remembered. */
  readonly holder: string | null;
  readonly token: bigint;
  readonly expiresAt: Date;
}

const isLive = (record: LeaseRecord, now: Date): record is LeaseRecord & { holder: string } =>
  record.holder !== null && now.getTime() < record.expiresAt.getTime();

const leaseOf = (name: string, holder: string, token: bigint, timing: LeaseTiming): Lease => ({
  name,
  holder,
  token,
  expiresAt: new Date(timing.now.getTime() + timing.ttlMs),
});

/**
 * The lease `holder` gets, or null while someone else holds it. A holder that acquires again what it
 * still holds (or held until it expired untaken) keeps its token: the token counts changes of holder.
 */
export function decideAcquire(
  stored: LeaseRecord | null,
  name: string,
  holder: string,
  timing: LeaseTiming,
): Lease | null {
  if (stored === null) return leaseOf(name, holder, 1n, timing);
  if (stored.holder === holder) return leaseOf(name, holder, stored.token, timing);
  if (isLive(stored, timing.now)) return null;
  return leaseOf(name, holder, stored.token + 1n, timing);
}

/** The renewed lease; throws `LeaseLost` when it was released or taken over since it was granted. */
export function decideRenew(stored: LeaseRecord | null, lease: Lease, timing: LeaseTiming): Lease {
  if (stored === null) throw new LeaseLost(lease, 'no such lease');
  if (stored.token !== lease.token || stored.holder !== lease.holder) {
    throw new LeaseLost(
      lease,
      stored.holder === null
        ? `released (token ${stored.token})`
        : `held by ${stored.holder} with token ${stored.token}`,
    );
  }
  return leaseOf(lease.name, lease.holder, lease.token, timing);
}

/** Whether releasing `lease` changes anything: only its current holder can release it. */
export function mayRelease(stored: LeaseRecord | null, lease: Lease): boolean {
  return stored !== null && stored.holder === lease.holder && stored.token === lease.token;
}

export function currentLease(stored: LeaseRecord | null, name: string, now: Date): Lease | null {
  if (stored === null || !isLive(stored, now)) return null;
  return { name, holder: stored.holder, token: stored.token, expiresAt: stored.expiresAt };
}
