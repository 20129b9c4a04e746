import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { CallDirection, HangupReason } from '../calls/call';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReadModelDatabase } from '../projections/read-model-database';
import type { UsageTables } from './usage-ledger';
import type { UsageKind } from './usage-metering';
import { type Granularity, type Period, periodsOf } from './usage-periods';
import { USAGE } from './usage-read-model-name';
import type { UsageDirectionView, UsageOutcomesView, UsageReportView, UsageTotalsView } from './usage-view';

type DailyRow = {
  period: string;
  kind: UsageKind;
  direction: string;
  outcome: string;
  count: number;
  minutes: number;
};

const OUTCOMES: readonly HangupReason[] = [
  'normal',
  'failed',
  'busy',
  'cancel',
  'timeout',
  'noanswer',
  'dialout',
  'amd',
];

/**
 * Reads of the usage read model: one range scan of the tenant's daily totals (tenant first in the key),
 * grouped by period in SQL, then laid out as every period of the range, empty ones as zeros.
 */
@Injectable()
export class UsageQueries {
  /** Statement per SQL text: the table names are in it, so a blue/green switch simply prepares anew. */
  private readonly statements = new Map<string, Database.Statement<[string, string, string], DailyRow>>();

  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
  ) {}

  report(customerId: string, from: string, to: string, granularity: Granularity): UsageReportView {
    const t = this.engine.tables(USAGE) as UsageTables;
    // By day the rows are the buckets already: read them in key order, no grouping (no temporary B-tree).
    const sql =
      granularity === 'day'
        ? `SELECT day AS period, kind, direction, outcome, count, minutes
           FROM ${t.daily} WHERE customer_id = ? AND day >= ? AND day <= ?`
        : `SELECT substr(day, 1, 7) AS period, kind, direction, outcome,
             SUM(count) AS count, SUM(minutes) AS minutes
           FROM ${t.daily} WHERE customer_id = ? AND day >= ? AND day <= ?
           GROUP BY period, kind, direction, outcome`;
    const rows = this.statement(sql).all(customerId, from, to);
    // Totals only for the periods that have usage: a year by day is mostly empty days, which share one
    // frozen zero (the response only serialises them).
    const byPeriod = new Map<string, UsageTotalsView>();
    const totals = emptyTotals();
    for (const row of rows) {
      let bucket = byPeriod.get(row.period);
      if (!bucket) {
        bucket = emptyTotals();
        byPeriod.set(row.period, bucket);
      }
      add(bucket, row);
      add(totals, row);
    }
    const periods = periodsOf(from, to, granularity);
    return {
      customer_id: customerId,
      from,
      to,
      granularity,
      buckets: periods.map((period: Period) => ({
        period: period.key,
        start: period.start,
        end: period.end,
        ...(byPeriod.get(period.key) ?? NO_USAGE),
      })),
      totals,
    };
  }

  private statement(sql: string) {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.readModels.connection.prepare<[string, string, string], DailyRow>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

const NO_USAGE: UsageTotalsView = deepFreeze(emptyTotals());

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value))
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  return Object.freeze(value);
}

function add(totals: UsageTotalsView, row: DailyRow): void {
  switch (row.kind) {
    case 'call': {
      const direction = totals[row.direction as CallDirection] as UsageDirectionView | undefined;
      if (!direction) return;
      totals.calls += row.count;
      totals.billable_minutes += row.minutes;
      direction.calls += row.count;
      direction.billable_minutes += row.minutes;
      if (Object.hasOwn(direction.outcomes, row.outcome))
        direction.outcomes[row.outcome as keyof UsageOutcomesView] += row.count;
      return;
    }
    case 'conference_participant':
      totals.conference_participant_minutes += row.minutes;
      return;
    case 'recording':
      totals.recording_minutes += row.minutes;
      return;
  }
}

function emptyTotals(): UsageTotalsView {
  return {
    calls: 0,
    billable_minutes: 0,
    outgoing: emptyDirection(),
    incoming: emptyDirection(),
    conference_participant_minutes: 0,
    recording_minutes: 0,
  };
}

function emptyDirection(): UsageDirectionView {
  return {
    calls: 0,
    billable_minutes: 0,
    outcomes: Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as unknown as UsageOutcomesView,
  };
}
