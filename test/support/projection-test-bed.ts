import type { RecordedEvent } from '../../src/event-store/event-store';
import type { Projection } from '../../src/projections/projection';
import type { ProjectionEngine } from '../../src/projections/projection-engine';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { dump, FakeLog, projectionUnderTest } from '../conferences/conference-fixtures';

/**
 * A projection on a fresh in-memory read-model database for each test, a log to write its events with,
 * and its query class over the same tables. Registers its own beforeEach/afterEach; read the fields inside
 * a test (they are replaced before each one).
 */
export function projectionTestBed<L extends string, Q>(
  projection: Projection<L>,
  queriesOf: (engine: ProjectionEngine, readModels: ReadModelDatabase) => Q,
) {
  const bed = {
    readModels: undefined as unknown as ReadModelDatabase,
    log: undefined as unknown as FakeLog,
    under: undefined as unknown as ReturnType<typeof projectionUnderTest<L>>,
    queries: undefined as unknown as Q,
    apply(events: RecordedEvent[]): void {
      for (const event of events) bed.under.handler.handle(event);
    },
    /** Every row of the projection's tables. */
    dump(): Record<string, unknown[]> {
      return dump(bed.readModels, bed.under.tables);
    },
    /** Applies each event twice, the second time must change nothing; then replays them all: nothing. */
    expectReplaySafe(recorded: RecordedEvent[]): void {
      for (const event of recorded) {
        bed.under.handler.handle(event);
        const once = bed.dump();
        bed.under.handler.handle(event);
        expect(bed.dump()).toEqual(once);
      }
      const final = bed.dump();
      bed.apply(recorded);
      expect(bed.dump()).toEqual(final);
    },
  };
  beforeEach(() => {
    bed.readModels = new ReadModelDatabase(':memory:');
    bed.log = new FakeLog();
    bed.under = projectionUnderTest(projection, bed.readModels);
    bed.queries = queriesOf(bed.under.engine, bed.readModels);
  });
  afterEach(() => bed.readModels.close());
  return bed;
}
