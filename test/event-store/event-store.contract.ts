import type { EventStore } from '../../src/event-store/event-store';
import { appendCases } from './contract/append.contract-cases';
import { readCases } from './contract/read.contract-cases';
import { subscribeCases } from './contract/subscribe.contract-cases';

export interface EventStoreContractFactory {
  /** A fresh, usable store. */
  create(): Promise<EventStore>;
  dispose(store: EventStore): Promise<void>;
  /** When set, the suite is reported as skipped with this reason (never silently passed). */
  skipReason?: string;
}

/**
 * The behaviour every event store adapter must share (EventStoreDB semantics, see the port).
 *
 * The suite never assumes an empty store — a real server holds other data — so every test writes to its own
 * uniquely named streams and compares positions only with positions it produced itself (strictly
 * increasing, never contiguous: EventStoreDB positions are byte offsets).
 */
export function describeEventStoreContract(adapterName: string, factory: EventStoreContractFactory): void {
  if (factory.skipReason !== undefined) {
    describe.skip(`${adapterName} — skipped: ${factory.skipReason}`, () => {
      it('runs the event store contract', () => undefined);
    });
    return;
  }

  describe(`${adapterName} event store contract`, () => {
    let store: EventStore | undefined;
    const current = (): EventStore => {
      if (!store) throw new Error(`${adapterName}: the store was not created`);
      return store;
    };

    beforeAll(async () => {
      store = await factory.create();
    });
    afterAll(async () => {
      if (store) await factory.dispose(store);
    });

    appendCases(current);
    readCases(current);
    subscribeCases(current);
  });
}
