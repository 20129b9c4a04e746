import type { RecordedEvent } from '../../src/event-store/event-store';
import { ReadModelDatabase } from '../../src/projections/read-model-database';
import { physicalTableNames } from '../../src/projections/table-names';
import { appliedLog, callLogProjection, callStatuses } from './projection-fixtures';

/** The sample projection's own guarantees, outside the engine: what a manual replay may do to it. */
describe('sample call-log projection', () => {
  let readModels: ReadModelDatabase;
  const projection = callLogProjection();
  const tables = physicalTableNames({ name: projection.name, version: 1, generation: 0 }, projection.tables);

  beforeEach(() => {
    readModels = new ReadModelDatabase(':memory:');
  });
  afterEach(() => readModels.close());

  const event = (revision: bigint, status: string): RecordedEvent => ({
    streamId: 'call-a',
    revision,
    position: revision + 1n,
    id: `event-${revision}`,
    type: 'CallStatusChanged',
    data: { status },
    metadata: { correlation_id: 'c', causation_id: 'c', customer_id: 'customer-1', actor: 'system:test' },
    created: new Date('2026-03-01T10:00:00.000Z'),
  });

  it('changes nothing when the same event is applied twice', () => {
    const handler = projection.setup(readModels.connection, tables);
    handler.handle(event(0n, 'dialing'));
    handler.handle(event(1n, 'ringing'));
    const once = callStatuses(readModels.connection, tables);
    handler.handle(event(1n, 'ringing'));
    expect(callStatuses(readModels.connection, tables)).toEqual(once);
  });

  it('ignores an older event replayed after a newer one (guarded by stream revision)', () => {
    const handler = projection.setup(readModels.connection, tables);
    handler.handle(event(0n, 'dialing'));
    handler.handle(event(1n, 'answered'));
    handler.handle(event(0n, 'dialing'));
    expect(callStatuses(readModels.connection, tables)).toEqual({ a: 'answered' });
    // The applied log records handler calls, which is how the engine tests detect doubles.
    expect(appliedLog(readModels.connection, tables)).toHaveLength(3);
  });

  it('names its tables per version and per rebuild', () => {
    expect(tables).toEqual({ calls: 'call_log_v1_calls', applied: 'call_log_v1_applied' });
    expect(physicalTableNames({ name: 'callHistory', version: 3, generation: 2 }, ['calls'])).toEqual({
      calls: 'call_history_v3_r2_calls',
    });
    expect(() => physicalTableNames({ name: 'x', version: 1, generation: 0 }, ['Bad Name'])).toThrow(
      /snake_case/,
    );
  });
});
