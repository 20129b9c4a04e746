import type { DomainEvent } from '../../src/domain/decider';
import type { RecordedEvent } from '../../src/event-store/event-store';
import type { Projection, TableNames } from '../../src/projections/projection';
import type { ProjectionEngine } from '../../src/projections/projection-engine';
import type { ReadModelDatabase } from '../../src/projections/read-model-database';
import { physicalTableNames } from '../../src/projections/table-names';

/** Fixed ids and times for the conference read-model tests. */
export const CUSTOMER = '00000000-0000-7000-8000-00000000c001';
export const OTHER_CUSTOMER = '00000000-0000-7000-8000-00000000c002';
export const T0 = '2026-01-01T00:00:00.000Z';
/** T0 + seconds. */
export const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

/**
 * Turns domain events into what the store would deliver: per-stream revisions from 0 and one global
 * position counter across streams, so tests can interleave streams like `$all` does.
 */
export class FakeLog {
  private position = 0n;
  private readonly revisions = new Map<string, bigint>();
  readonly all: RecordedEvent[] = [];

  append(streamId: string, ...events: DomainEvent[]): RecordedEvent[] {
    return events.map((event) => {
      const revision = (this.revisions.get(streamId) ?? -1n) + 1n;
      this.revisions.set(streamId, revision);
      this.position += 1n;
      const recorded: RecordedEvent = {
        streamId,
        revision,
        position: this.position,
        id: `event-${this.position}`,
        type: event.type,
        data: event.data,
        metadata: { correlation_id: 'c', causation_id: 'c', customer_id: CUSTOMER, actor: 'system:test' },
        created: new Date(T0),
      };
      this.all.push(recorded);
      return recorded;
    });
  }

  revisionOf(streamId: string): bigint {
    return this.revisions.get(streamId)!;
  }
}

/** A projection set up on its own tables, plus a stand-in engine that names them for the query classes. */
export function projectionUnderTest<L extends string>(
  projection: Projection<L>,
  readModels: ReadModelDatabase,
) {
  const tables = physicalTableNames(
    { name: projection.name, version: projection.version, generation: 0 },
    projection.tables,
  ) as TableNames<L>;
  const handler = projection.setup(readModels.connection, tables);
  const engine = { tables: () => tables } as unknown as ProjectionEngine;
  return { handler, tables, engine };
}

/** Every row of every table, for "nothing changed" comparisons. */
export function dump(readModels: ReadModelDatabase, tables: TableNames): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.values(tables).map((table) => [
      table,
      readModels.connection.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all(),
    ]),
  );
}
