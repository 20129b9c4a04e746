import type { LoggerService } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { EventStore, RecordedEvent } from '../../src/event-store/event-store';
import type { Projection, TableNames } from '../../src/projections/projection';
import { SequentialIds } from '../support/fixed-clock';

export type CallLogTables = TableNames<'calls' | 'applied'>;

export interface CallLogOptions {
  name?: string;
  version?: number;
  /** While this returns true for an event, the handler throws on it (to simulate a bug, then fix it). */
  failOn?: (event: RecordedEvent) => boolean;
}

/**
 * A sample read model: the last status per call, guarded by stream revision so an event applied twice
 * changes nothing, plus an `applied` log with one row per handled event to detect losses and doubles.
 * Events of other streams (`other-*`) are ignored, as a real projection ignores foreign types.
 */
export function callLogProjection(options: CallLogOptions = {}): Projection<'calls' | 'applied'> {
  return {
    name: options.name ?? 'call-log',
    version: options.version ?? 1,
    tables: ['calls', 'applied'],
    setup(db: Database.Database, t: CallLogTables) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${t.calls} (call_id TEXT PRIMARY KEY, status TEXT NOT NULL, revision INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS ${t.applied} (position INTEGER NOT NULL, event_id TEXT NOT NULL);
      `);
      const upsert = db.prepare(
        `INSERT INTO ${t.calls} (call_id, status, revision) VALUES (?, ?, ?)
         ON CONFLICT (call_id) DO UPDATE SET status = excluded.status, revision = excluded.revision
         WHERE excluded.revision > ${t.calls}.revision`,
      );
      const log = db.prepare(`INSERT INTO ${t.applied} (position, event_id) VALUES (?, ?)`);
      return {
        handle(event: RecordedEvent) {
          if (!event.streamId.startsWith('call-')) return;
          log.run(event.position, event.id);
          if (options.failOn?.(event)) throw new Error(`cannot project ${event.type}`);
          upsert.run(event.streamId.slice('call-'.length), String(event.data.status), event.revision);
        },
      };
    },
  };
}

/** Appends one `CallStatusChanged` event per status to the stream; returns the last position. */
export async function appendStatuses(
  store: EventStore,
  streamId: string,
  statuses: readonly string[],
  ids: SequentialIds,
): Promise<bigint> {
  const events = statuses.map((status) => ({
    id: ids.newId(),
    type: 'CallStatusChanged',
    data: { status },
    metadata: { correlation_id: 'c', causation_id: 'c', customer_id: 'customer-1', actor: 'system:test' },
  }));
  const result = await store.appendToStream(streamId, events, { expectedRevision: 'any' });
  return result.position;
}

export interface AppliedRow {
  position: bigint;
  event_id: string;
}

export function appliedLog(db: Database.Database, t: TableNames): AppliedRow[] {
  return db
    .prepare<[], AppliedRow>(`SELECT position, event_id FROM ${t.applied} ORDER BY rowid`)
    .safeIntegers(true)
    .all();
}

export function callStatuses(db: Database.Database, t: TableNames): Record<string, string> {
  const rows = db
    .prepare<[], { call_id: string; status: string }>(`SELECT call_id, status FROM ${t.calls}`)
    .all();
  return Object.fromEntries(rows.map((row) => [row.call_id, row.status]));
}

export function tableExists(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Polls a condition in tests only (the engine itself never polls). */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Collects log lines so tests can assert what an operator would read. */
export class RecordingLogger implements LoggerService {
  readonly errors: string[] = [];
  readonly infos: string[] = [];
  log(message: string): void {
    this.infos.push(message);
  }
  error(message: string): void {
    this.errors.push(message);
  }
  warn(message: string): void {
    this.infos.push(message);
  }
}
