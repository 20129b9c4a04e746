import { Injectable } from '@nestjs/common';
import { decodePageToken, pageOf } from '../../http/pagination';
import { ProjectionEngine } from '../../projections/projection-engine';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { Recording } from '../recording';
import type { RecordingTargetKind } from '../recording-slot';
import { type RecordingPage, recordingViewOf } from '../recording-view';
import { RECORDINGS_PROJECTION, type RecordingsTables } from './recordings.projection';

interface RecordingRow {
  recording_id: string;
  tm_start: string;
  revision: number;
  state: string;
}

export interface RecordingFilter {
  reference?: { kind: RecordingTargetKind; id: string };
  pageSize: number;
  pageToken?: string;
}

export type RecordingRecord = { recording: Recording; revision: bigint };

/** Queries of the `recordings` read model; every one is scoped by tenant. */
@Injectable()
export class RecordingsQueries {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
  ) {}

  /** This tenant's recording, or null (also another tenant's: the caller answers 404 for both). */
  recording(customerId: string, recordingId: string): RecordingRecord | null {
    const row = this.readModels
      .statement<[string, string], RecordingRow>(
        `SELECT * FROM ${this.table()} WHERE customer_id = ? AND recording_id = ?`,
      )
      .get(customerId, recordingId);
    return row ? toRecord(row) : null;
  }

  /** Newest first, keyset-paged on (tm_start, recording_id). */
  recordings(customerId: string, filter: RecordingFilter): RecordingPage {
    const where = ['customer_id = @customerId'];
    const params: Record<string, string | number> = { customerId, limit: filter.pageSize + 1 };
    if (filter.reference !== undefined) {
      where.push('reference_type = @kind AND reference_id = @referenceId');
      params.kind = filter.reference.kind;
      params.referenceId = filter.reference.id;
    }
    if (filter.pageToken !== undefined) {
      const cursor = decodePageToken(filter.pageToken);
      where.push('(tm_start, recording_id) < (@created, @id)');
      params.created = cursor.created;
      params.id = cursor.id;
    }
    const rows = this.readModels
      .statement<[Record<string, string | number>], RecordingRow>(
        `SELECT * FROM ${this.table()} WHERE ${where.join(' AND ')}
         ORDER BY tm_start DESC, recording_id DESC LIMIT @limit`,
      )
      .all(params);
    return pageOf(
      rows,
      filter.pageSize,
      (row) => {
        const { recording, revision } = toRecord(row);
        return recordingViewOf(recording, revision);
      },
      (row) => ({ created: row.tm_start, id: row.recording_id }),
    );
  }

  private table(): string {
    return (this.engine.tables(RECORDINGS_PROJECTION) as RecordingsTables).recordings;
  }
}

function toRecord(row: RecordingRow): RecordingRecord {
  return { recording: JSON.parse(row.state) as Recording, revision: BigInt(row.revision) };
}
