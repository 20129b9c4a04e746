import type { IdGenerator } from '../../domain/id-generator';
import type { EventStore, RecordedEvent } from '../../event-store/event-store';
import { WrongExpectedVersion } from '../../event-store/event-store.errors';
import { type Lease, LeaseLost, type LeaseStore, type LeaseTiming } from '../lease';
import { currentLease, decideAcquire, decideRenew, type LeaseRecord, mayRelease } from '../lease-rules';
import { leaseStreamOf } from '../runtime-streams';
import { bigintField, readLastEvent, revisionAfter, runtimeEvent } from './runtime-stream-io';

export const LEASE_ACQUIRED = 'LeaseAcquired';
export const LEASE_RENEWED = 'LeaseRenewed';
export const LEASE_RELEASED = 'LeaseReleased';
type LeaseEventType = typeof LEASE_ACQUIRED | typeof LEASE_RENEWED | typeof LEASE_RELEASED;

/**
 * Leases as events in the event store (stream `lease-<name>`, events `LeaseAcquired`, `LeaseRenewed`,
 * `LeaseReleased`, each `{holder, token, expiresAt}`), for instances sharing an EventStoreDB. Works on any
 * `EventStore` adapter.
 *
 * Every decision is taken on the stream's LAST event and appended with that event's revision as the
 * expected revision. Of two contenders that read the same last event, the store accepts one append and
 * answers `WrongExpectedVersion` to the other: that one lost the race (acquire → null, renew → LeaseLost).
 * So at most one holder is ever granted a lease, whatever the clocks say; clocks only decide WHEN a lease
 * counts as expired (see `lease.ts` on skew).
 *
 * COST: one event per acquire, renew and release: with the keeper's defaults (renew every ttl/3 = 3.3 s)
 * about 26,000 events a day per lease. Only the last event matters, so an operator may cap the stream
 * (`$maxCount` stream metadata on EventStoreDB) without changing any behaviour.
 */
export class StoreLeaseStore implements LeaseStore {
  constructor(
    private readonly store: EventStore,
    private readonly ids: IdGenerator,
  ) {}

  async acquire(name: string, holder: string, timing: LeaseTiming): Promise<Lease | null> {
    const last = await readLastEvent(this.store, leaseStreamOf(name));
    const granted = decideAcquire(recordOf(last), name, holder, timing);
    if (granted === null) return null;
    try {
      await this.append(LEASE_ACQUIRED, granted, last);
      return granted;
    } catch (error) {
      if (error instanceof WrongExpectedVersion) return null;
      throw error;
    }
  }

  async renew(lease: Lease, timing: LeaseTiming): Promise<Lease> {
    const last = await readLastEvent(this.store, leaseStreamOf(lease.name));
    const renewed = decideRenew(recordOf(last), lease, timing);
    try {
      await this.append(LEASE_RENEWED, renewed, last);
      return renewed;
    } catch (error) {
      if (error instanceof WrongExpectedVersion) throw new LeaseLost(lease, 'another contender wrote first');
      throw error;
    }
  }

  async release(lease: Lease): Promise<void> {
    const last = await readLastEvent(this.store, leaseStreamOf(lease.name));
    if (!mayRelease(recordOf(last), lease)) return;
    try {
      await this.append(LEASE_RELEASED, lease, last);
    } catch (error) {
      // Someone wrote first, so it was no longer ours to release: a no-op, as for any non-holder.
      if (!(error instanceof WrongExpectedVersion)) throw error;
    }
  }

  async current(name: string, now: Date): Promise<Lease | null> {
    return currentLease(recordOf(await readLastEvent(this.store, leaseStreamOf(name))), name, now);
  }

  private async append(type: LeaseEventType, lease: Lease, last: RecordedEvent | null): Promise<void> {
    const data = {
      holder: lease.holder,
      token: lease.token.toString(),
      expiresAt: lease.expiresAt.toISOString(),
    };
    await this.store.appendToStream(leaseStreamOf(lease.name), [runtimeEvent(this.ids, type, data)], {
      expectedRevision: revisionAfter(last),
    });
  }
}

function recordOf(last: RecordedEvent | null): LeaseRecord | null {
  if (last === null) return null;
  const { data, streamId } = last;
  const expiresAt = new Date(String(data.expiresAt));
  if (typeof data.holder !== 'string' || Number.isNaN(expiresAt.getTime())) {
    throw new Error(`${streamId}: malformed ${last.type} at revision ${last.revision}`);
  }
  return {
    holder: last.type === LEASE_RELEASED ? null : data.holder,
    token: bigintField(data, 'token', streamId),
    expiresAt,
  };
}
