import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { encodePageToken, type PageCursor } from '../../http/pagination';
import { ProjectionEngine } from '../../projections/projection-engine';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { Call, CallDirection, CallStatus, CallType, HangupReason } from '../call';
import { CALL_HISTORY, type CallHistoryTables } from './call-history.projection';

export type CallRecord = { call: Call; revision: bigint };
export type CallPage = { records: CallRecord[]; nextPageToken: string | null };

/** Exact-match filters of the list; each has its own (customer_id, column, created, call_id) index. */
export type CallFilters = {
  status?: CallStatus;
  direction?: CallDirection;
  type?: CallType;
  contactId?: string;
  userId?: string;
  hangupReason?: HangupReason;
  /** Inclusive, normalised ISO-8601 UTC. */
  createdAfter?: string;
  /** Exclusive. */
  createdBefore?: string;
};

const FILTER_COLUMNS = {
  status: 'status',
  direction: 'direction',
  type: 'type',
  contactId: 'contact_id',
  userId: 'user_id',
  hangupReason: 'hangup_reason',
} as const;

type Row = { call_id: string; created: string; revision: bigint; state: string };
type Param = string | number;

/** Rows strictly after the cursor in newest-first order: the keyset condition every page query uses. */
const AFTER_CURSOR = '(created, call_id) < (?, ?)';
const NEWEST_FIRST = 'ORDER BY created DESC, call_id DESC';

/**
 * Queries of the call-history read model. Pages are newest first by (created, call_id): the id breaks ties
 * between calls created in the same millisecond, so no row is lost or repeated across pages. Each query
 * reads one more row than asked to know whether a next page exists, instead of counting.
 */
@Injectable()
export class CallHistory {
  /** Statement per SQL text: table names are in the text, so a blue/green switch simply prepares anew. */
  private readonly statements = new Map<string, Database.Statement<Param[], Row>>();

  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
  ) {}

  byId(customerId: string, callId: string): CallRecord | null {
    const t = this.tables();
    const row = this.statement(
      `SELECT call_id, created, revision, state FROM ${t.calls} WHERE call_id = ? AND customer_id = ?`,
    ).get(callId, customerId);
    return row ? record(row) : null;
  }

  list(customerId: string, filters: CallFilters, pageSize: number, after: PageCursor | null): CallPage {
    const t = this.tables();
    const where = ['customer_id = ?'];
    const params: Param[] = [customerId];
    for (const [key, column] of Object.entries(FILTER_COLUMNS)) {
      const value = filters[key as keyof typeof FILTER_COLUMNS];
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    if (filters.createdAfter !== undefined) {
      where.push('created >= ?');
      params.push(filters.createdAfter);
    }
    // Only the tighter of the two upper bounds, so that the index range ends there: with both, SQLite would
    // range on `created < ?` and filter the cursor row by row, reading every row of the earlier pages again.
    const before = filters.createdBefore;
    if (after && (before === undefined || after.created < before)) {
      where.push(AFTER_CURSOR);
      params.push(after.created, after.id);
    } else if (before !== undefined) {
      where.push('created < ?');
      params.push(before);
    }
    const sql = `SELECT call_id, created, revision, state FROM ${t.calls}
      WHERE ${where.join(' AND ')} ${NEWEST_FIRST} LIMIT ?`;
    return page(this.statement(sql).all(...params, pageSize + 1), pageSize);
  }

  /**
   * The calls a user made (`user_id`) or received (`contact_id`). Two index range scans, each limited,
   * merged by UNION (which also drops a call the user made to itself) — an `OR` would make SQLite give up
   * the index order and sort every call of the user.
   */
  history(customerId: string, userId: string | null, pageSize: number, after: PageCursor | null): CallPage {
    if (userId === null) return this.list(customerId, {}, pageSize, after);
    const t = this.tables();
    const keyset = after ? `AND ${AFTER_CURSOR}` : '';
    const cursor: Param[] = after ? [after.created, after.id] : [];
    const side = (column: string) => `SELECT * FROM (
        SELECT call_id, created, revision, state FROM ${t.calls}
        WHERE customer_id = ? AND ${column} = ? ${keyset} ${NEWEST_FIRST} LIMIT ?)`;
    const sql = `${side('user_id')} UNION ${side('contact_id')} ${NEWEST_FIRST} LIMIT ?`;
    const limit = pageSize + 1;
    const params = [customerId, userId, ...cursor, limit, customerId, userId, ...cursor, limit, limit];
    return page(this.statement(sql).all(...params), pageSize);
  }

  private statement(sql: string): Database.Statement<Param[], Row> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.readModels.connection.prepare<Param[], Row>(sql).safeIntegers(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private tables(): CallHistoryTables {
    return this.engine.tables(CALL_HISTORY) as CallHistoryTables;
  }
}

function record(row: Row): CallRecord {
  return { call: JSON.parse(row.state) as Call, revision: BigInt(row.revision) };
}

function page(rows: Row[], pageSize: number): CallPage {
  const more = rows.length > pageSize;
  const kept = more ? rows.slice(0, pageSize) : rows;
  const last = kept.at(-1);
  return {
    records: kept.map(record),
    nextPageToken: more && last ? encodePageToken({ created: last.created, id: last.call_id }) : null,
  };
}
