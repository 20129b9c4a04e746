import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/event-store';
import type { Projection } from '../projections/projection';
import { UsageLedger, type UsageTables } from './usage-ledger';
import { USAGE } from './usage-read-model-name';
import { USAGE_SOURCES } from './usage-sources';

export { USAGE } from './usage-read-model-name';

/**
 * Usage per tenant and UTC day (issue 12 §4), from `$all` through the projection engine: the ledger's
 * table changes and the checkpoint commit in one transaction, so each event counts exactly once per
 * build, and the ledger itself absorbs a replay (see usage-ledger.ts). A rebuild gives the same totals.
 */
export const usageProjection: Projection<'open' | 'metered' | 'daily'> = {
  name: USAGE,
  // 2: recordings are metered (a rebuild meters the recordings stored before).
  version: 2,
  tables: ['open', 'metered', 'daily'],
  setup(db: Database.Database, tables: UsageTables) {
    const ledger = new UsageLedger(db, tables);
    const handle = (event: RecordedEvent) => {
      for (const source of USAGE_SOURCES) {
        const subjectId = source.subjectOf(event.streamId);
        if (subjectId !== null) source.apply(event, subjectId, ledger);
      }
    };
    return {
      handle,
      // Catch-up: a call created and hung up within the batch never writes an `open` row (usage-ledger.ts).
      handleBatch(events: readonly RecordedEvent[]) {
        ledger.inBatch(() => {
          for (const event of events) handle(event);
        });
      },
    };
  },
};
