/**
 * The lease port: which one of several instances runs the work that must happen once (reactions, timers,
 * outbound requests). Plain TypeScript, no Nest.
 *
 * Guarantees every adapter keeps (one contract suite, `test/subscriptions/contract/`):
 * - One holder at a time: while a lease is unexpired, `acquire` by anyone else returns null.
 * - Every successful `acquire` by a NEW holder gets a token greater than every token issued before for that
 *   name (a fencing token), also after a release. Renewing keeps the token, and so does `acquire` by the
 *   holder that holds it (or held it until it expired and nobody took it): it returns the lease extended.
 * - So holder ids must be unique per process start: a restarted process reusing its predecessor's id would
 *   inherit its token, and the fence could not tell the two apart.
 * - Expiry is judged with the caller's `now` against the stored `expiresAt`; instances must keep their clocks
 *   roughly in sync (NTP): a skew of S ms shortens or lengthens a lease by S.
 * - `renew` by a holder that no longer holds it (expired and taken, or released) throws `LeaseLost`;
 *   renewing an expired lease nobody took is allowed and keeps the token.
 * - `release` by the holder ends the lease at once (so a graceful shutdown hands over immediately); by
 *   anyone else it is a no-op.
 */
export interface LeaseStore {
  acquire(name: string, holder: string, options: LeaseTiming): Promise<Lease | null>;
  renew(lease: Lease, options: LeaseTiming): Promise<Lease>;
  release(lease: Lease): Promise<void>;
  /** Who holds it now (null when free or expired at `now`), for readiness and operators. */
  current(name: string, now: Date): Promise<Lease | null>;
}

export interface LeaseTiming {
  now: Date;
  /** How long the lease lasts from `now` unless renewed. */
  ttlMs: number;
}

export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** Fencing token: grows with every change of holder; pass it to `CheckpointStore.save`. */
  readonly token: bigint;
  readonly expiresAt: Date;
}

/** The lease was taken over (or released) since it was granted to this holder. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
  constructor(
    readonly lease: Pick<Lease, 'name' | 'holder' | 'token'>,
    readonly reason: string,
  ) {
    super(`lease ${lease.name} (token ${lease.token}) lost by ${lease.holder}: ${reason}`);
  }
}

/** DI token for the configured lease store. */
export const LEASE_STORE = Symbol('LEASE_STORE');
