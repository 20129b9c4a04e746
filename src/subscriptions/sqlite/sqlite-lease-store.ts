import type Database from 'better-sqlite3';
import type { Lease, LeaseStore, LeaseTiming } from '../lease';
import { currentLease, decideAcquire, decideRenew, type LeaseRecord, mayRelease } from '../lease-rules';
import { ensureSubscriptionTables } from './subscriptions-schema';

interface LeaseRow {
  holder: string | null;
  token: bigint;
  expires_at_ms: bigint;
}

/**
 * Leases in a SQLite file shared by every process on one data folder. Each decision reads the lease row and
 * writes it inside one `BEGIN IMMEDIATE` transaction: the write lock is taken BEFORE the read, so of several
 * processes acquiring at once exactly one sees the lease free and wins; the others wait (busy_timeout) and
 * then see it held.
 */
export class SqliteLeaseStore implements LeaseStore {
  private readonly select: Database.Statement<[string], LeaseRow>;
  private readonly upsert: Database.Statement<[string, string | null, bigint, number]>;
  private readonly acquireAtomically: (name: string, holder: string, timing: LeaseTiming) => Lease | null;
  private readonly renewAtomically: (lease: Lease, timing: LeaseTiming) => Lease;
  private readonly releaseAtomically: (lease: Lease) => void;

  constructor(connection: Database.Database) {
    ensureSubscriptionTables(connection);
    this.select = connection
      .prepare<[string], LeaseRow>(
        'SELECT holder, token, expires_at_ms FROM subscription_leases WHERE name = ?',
      )
      .safeIntegers(true);
    this.upsert = connection.prepare(
      `INSERT INTO subscription_leases (name, holder, token, expires_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE
         SET holder = excluded.holder, token = excluded.token, expires_at_ms = excluded.expires_at_ms`,
    );
    const write = (lease: Lease) =>
      this.upsert.run(lease.name, lease.holder, lease.token, lease.expiresAt.getTime());

    const acquire = connection.transaction((name: string, holder: string, timing: LeaseTiming) => {
      const granted = decideAcquire(this.record(name), name, holder, timing);
      if (granted !== null) write(granted);
      return granted;
    });
    const renew = connection.transaction((lease: Lease, timing: LeaseTiming) => {
      const renewed = decideRenew(this.record(lease.name), lease, timing);
      write(renewed);
      return renewed;
    });
    const release = connection.transaction((lease: Lease) => {
      if (mayRelease(this.record(lease.name), lease)) {
        this.upsert.run(lease.name, null, lease.token, lease.expiresAt.getTime());
      }
    });
    this.acquireAtomically = (name, holder, timing) => acquire.immediate(name, holder, timing);
    this.renewAtomically = (lease, timing) => renew.immediate(lease, timing);
    this.releaseAtomically = (lease) => release.immediate(lease);
  }

  async acquire(name: string, holder: string, timing: LeaseTiming): Promise<Lease | null> {
    return this.acquireAtomically(name, holder, timing);
  }

  async renew(lease: Lease, timing: LeaseTiming): Promise<Lease> {
    return this.renewAtomically(lease, timing);
  }

  async release(lease: Lease): Promise<void> {
    this.releaseAtomically(lease);
  }

  async current(name: string, now: Date): Promise<Lease | null> {
    return currentLease(this.record(name), name, now);
  }

  private record(name: string): LeaseRecord | null {
    const row = this.select.get(name);
    if (row === undefined) return null;
    return { holder: row.holder, token: row.token, expiresAt: new Date(Number(row.expires_at_ms)) };
  }
}
