import { Injectable } from '@nestjs/common';
import { decodePageToken, type Page, pageOf } from '../../http/pagination';
import { ProjectionEngine } from '../../projections/projection-engine';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { PhoneNumber } from '../number';
import { type NumberView, numberView } from '../number-view';
import { NUMBERS_READ_MODEL, type NumbersTables } from './numbers.projection';

interface NumberRow {
  number_id: string;
  created: string;
  revision: number;
  state: string;
}

export type FoundNumber = { number: PhoneNumber; revision: bigint };

/** Queries of the `numbers` read model; every one is scoped by tenant and shows live registrations only. */
@Injectable()
export class NumbersQueries {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
  ) {}

  /** This tenant's registration `numberId`, or null (also for another tenant's: both answer 404). */
  byId(customerId: string, numberId: string): FoundNumber | null {
    const row = this.readModels
      .statement<[string, string], NumberRow>(
        `SELECT * FROM ${this.table()} WHERE customer_id = ? AND number_id = ? AND released_at IS NULL`,
      )
      .get(customerId, numberId);
    return row ? found(row) : null;
  }

  /** Newest first, keyset-paged like every list of the API. */
  list(customerId: string, pageSize: number, pageToken?: string): Page<NumberView> {
    const params: Record<string, string | number> = { customerId, limit: pageSize + 1 };
    let after = '';
    if (pageToken !== undefined) {
      const cursor = decodePageToken(pageToken);
      after = 'AND (created, number_id) < (@created, @id)';
      params.created = cursor.created;
      params.id = cursor.id;
    }
    const rows = this.readModels
      .statement<[Record<string, string | number>], NumberRow>(
        `SELECT * FROM ${this.table()} WHERE customer_id = @customerId AND released_at IS NULL ${after}
         ORDER BY created DESC, number_id DESC LIMIT @limit`,
      )
      .all(params);
    return pageOf(
      rows,
      pageSize,
      (row) => {
        const { number, revision } = found(row);
        return numberView(number, revision);
      },
      (row) => ({ created: row.created, id: row.number_id }),
    );
  }

  private table(): string {
    return (this.engine.tables(NUMBERS_READ_MODEL) as NumbersTables).numbers;
  }
}

function found(row: NumberRow): FoundNumber {
  return { number: JSON.parse(row.state) as PhoneNumber, revision: BigInt(row.revision) };
}
