import type { PublishedEvent } from '../event-catalog/cloud-event';
import type { FeedFilter } from './feed-filter';

interface Keyed {
  readonly filter: FeedFilter;
}

interface TenantListeners<L> {
  /** Clients without a resource filter: every event of the tenant is a candidate. */
  broad: Set<L>;
  byCall: Map<string, Set<L>>;
  byConference: Map<string, Set<L>>;
}

/**
 * The feed's clients indexed by what their filter pins (tenant, then call or conference), so an event is
 * offered only to the clients that may want it instead of being tested against every connected client.
 * Each client sits in exactly one set; the type filter is then tested by the client itself.
 */
export class ListenerIndex<L extends Keyed> {
  private readonly tenants = new Map<string, TenantListeners<L>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(listener: L): void {
    const set = this.setOf(listener, true) as Set<L>;
    if (set.has(listener)) return;
    set.add(listener);
    this.count++;
  }

  remove(listener: L): void {
    const set = this.setOf(listener, false);
    if (!set?.delete(listener)) return;
    this.count--;
    const { filter } = listener;
    const tenant = this.tenants.get(filter.customerId) as TenantListeners<L>;
    if (set.size === 0) {
      if (filter.callId !== null) tenant.byCall.delete(filter.callId);
      else if (filter.conferenceId !== null) tenant.byConference.delete(filter.conferenceId);
    }
    if (tenant.broad.size === 0 && tenant.byCall.size === 0 && tenant.byConference.size === 0)
      this.tenants.delete(filter.customerId);
  }

  /** Calls `visit` for every client that may want `event` (each at most once). */
  forEachCandidate(event: PublishedEvent, visit: (listener: L) => void): void {
    const tenant = this.tenants.get(event.customerId);
    if (!tenant) return;
    for (const listener of tenant.broad) visit(listener);
    if (event.callId !== null) {
      const byCall = tenant.byCall.get(event.callId);
      if (byCall) for (const listener of byCall) visit(listener);
    }
    if (event.conferenceId !== null) {
      const byConference = tenant.byConference.get(event.conferenceId);
      if (byConference) for (const listener of byConference) visit(listener);
    }
  }

  private setOf(listener: L, create: boolean): Set<L> | undefined {
    const { filter } = listener;
    let tenant = this.tenants.get(filter.customerId);
    if (!tenant) {
      if (!create) return undefined;
      tenant = { broad: new Set(), byCall: new Map(), byConference: new Map() };
      this.tenants.set(filter.customerId, tenant);
    }
    if (filter.callId !== null) return bucket(tenant.byCall, filter.callId, create);
    if (filter.conferenceId !== null) return bucket(tenant.byConference, filter.conferenceId, create);
    return tenant.broad;
  }
}

function bucket<L>(map: Map<string, Set<L>>, key: string, create: boolean): Set<L> | undefined {
  let set = map.get(key);
  if (!set && create) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
