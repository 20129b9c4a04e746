import type Database from 'better-sqlite3';
import type { EventStore } from '../event-store/event-store';
import { LocalReadModels } from './local-read-models';

/** One row that differs between the live read model and the same model replayed from the log. */
export interface RowDifference {
  projection: string;
  /** Logical table name, e.g. `calls`. */
  table: string;
  /** The row's primary key as JSON (the whole row when the table has none). */
  key: string;
  /** The live row, or null when only the replay has it. */
  live: Record<string, unknown> | null;
  /** The replayed row, or null when only the live model has it. */
  expected: Record<string, unknown> | null;
}

/**
 * Replays the whole log into scratch read models (in memory) and compares every table, row by row, with
 * the live read models of `liveFilename`, after bringing those up to the same head. Opens the live file
 * with an engine of its own: run it with the server stopped, or on a copy of its data folder.
 */
export async function verifyReadModels(
  store: EventStore,
  liveFilename: string,
  onProgress: (position: bigint, head: bigint) => void = () => {},
): Promise<RowDifference[]> {
  const live = new LocalReadModels(store, liveFilename);
  const scratch = new LocalReadModels(store, ':memory:');
  try {
    await live.catchUp();
    await scratch.catchUp(onProgress);
    const differences: RowDifference[] = [];
    for (const projection of live.names) {
      const liveTables = live.engine.tables(projection);
      const scratchTables = scratch.engine.tables(projection);
      for (const table of Object.keys(liveTables)) {
        for (const difference of diffTable(
          live.database.connection,
          liveTables[table],
          scratch.database.connection,
          scratchTables[table],
        ))
          differences.push({ projection, table, ...difference });
      }
    }
    return differences;
  } finally {
    await Promise.all([live.close(), scratch.close()]);
  }
}

type Row = Record<string, unknown>;

function diffTable(
  liveDb: Database.Database,
  liveTable: string,
  scratchDb: Database.Database,
  scratchTable: string,
): Omit<RowDifference, 'projection' | 'table'>[] {
  const keyColumns = (liveDb.pragma(`table_info(${liveTable})`) as { name: string; pk: number }[])
    .filter((column) => column.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((column) => column.name);
  const keyOf = (row: Row) =>
    stringify(keyColumns.length > 0 ? Object.fromEntries(keyColumns.map((c) => [c, row[c]])) : row);
  const index = (rows: Row[]) => new Map(rows.map((row) => [keyOf(row), row]));
  const liveRows = index(liveDb.prepare(`SELECT * FROM ${liveTable}`).all() as Row[]);
  const scratchRows = index(scratchDb.prepare(`SELECT * FROM ${scratchTable}`).all() as Row[]);
  const differences: Omit<RowDifference, 'projection' | 'table'>[] = [];
  for (const [key, expected] of scratchRows) {
    const row = liveRows.get(key) ?? null;
    if (!row || stringify(row) !== stringify(expected)) differences.push({ key, live: row, expected });
  }
  for (const [key, row] of liveRows)
    if (!scratchRows.has(key)) differences.push({ key, live: row, expected: null });
  return differences;
}

const stringify = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
