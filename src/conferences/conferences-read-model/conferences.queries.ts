import { Injectable } from '@nestjs/common';
import { decodePageToken, pageOf } from '../../http/pagination';
import { ProjectionEngine } from '../../projections/projection-engine';
import { ReadModelDatabase } from '../../projections/read-model-database';
import type { ConferenceStatus, ConferenceType } from '../conference';
import type { ConferencePage, ConferenceView } from '../conference-view';
import { CONFERENCES_PROJECTION, type ConferencesTables } from './conferences.projection';

interface ConferenceRow {
  conference_id: string;
  customer_id: string;
  type: string;
  status: string;
  name: string;
  detail: string;
  data: string;
  timeout: number;
  max_participants: number | null;
  pre_actions: string;
  post_actions: string;
  participant_count: number;
  end_reason: string | null;
  tm_create: string;
  tm_update: string;
  tm_delete: string | null;
  revision: number;
  recording_id: string | null;
  /** JSON array, in start order. */
  recording_ids: string;
  /** Comma-separated, in admission order (group_concat of ids, which never contain commas). */
  conferencecall_ids: string | null;
}

export interface ConferenceFilter {
  status?: ConferenceStatus | 'starting';
  type?: ConferenceType;
  pageSize: number;
  pageToken?: string;
}

/** Queries of the `conferences` read model; every one is scoped by tenant. */
@Injectable()
export class ConferencesQueries {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
  ) {}

  /** A conference of this tenant, or null (also for another tenant's: the caller answers 404 for both). */
  conference(customerId: string, conferenceId: string): ConferenceView | null {
    const row = this.readModels
      .statement<[string, string], ConferenceRow>(
        `${this.select()} WHERE c.customer_id = ? AND c.conference_id = ?`,
      )
      .get(customerId, conferenceId);
    return row ? toView(row) : null;
  }

  /** Newest first, keyset-paged. */
  conferences(customerId: string, filter: ConferenceFilter): ConferencePage {
    const where = ['c.customer_id = @customerId'];
    const params: Record<string, string | number> = { customerId, limit: filter.pageSize + 1 };
    if (filter.status !== undefined) {
      where.push('c.status = @status');
      params.status = filter.status;
    }
    if (filter.type !== undefined) {
      where.push('c.type = @type');
      params.type = filter.type;
    }
    if (filter.pageToken !== undefined) {
      const cursor = decodePageToken(filter.pageToken);
      // A row-value range, so the index seeks straight to the cursor on deep pages.
      where.push('(c.tm_create, c.conference_id) < (@created, @id)');
      params.created = cursor.created;
      params.id = cursor.id;
    }
    const rows = this.readModels
      .statement<[Record<string, string | number>], ConferenceRow>(
        `${this.select()} WHERE ${where.join(' AND ')}
         ORDER BY c.tm_create DESC, c.conference_id DESC LIMIT @limit`,
      )
      .all(params);
    return pageOf(rows, filter.pageSize, toView, (row) => ({
      created: row.tm_create,
      id: row.conference_id,
    }));
  }

  private select(): string {
    const t = this.engine.tables(CONFERENCES_PROJECTION) as ConferencesTables;
    return `SELECT c.*, (SELECT group_concat(conferencecall_id, ',') FROM
        (SELECT conferencecall_id FROM ${t.participants} p WHERE p.conference_id = c.conference_id
         ORDER BY p.admitted_revision)) AS conferencecall_ids
      FROM ${t.conferences} c`;
  }
}

function toView(row: ConferenceRow): ConferenceView {
  return {
    id: row.conference_id,
    customer_id: row.customer_id,
    type: row.type,
    status: row.status,
    name: row.name,
    detail: row.detail,
    data: JSON.parse(row.data),
    timeout: row.timeout,
    max_participants: row.max_participants,
    pre_actions: JSON.parse(row.pre_actions),
    post_actions: JSON.parse(row.post_actions),
    conferencecall_ids: row.conferencecall_ids ? row.conferencecall_ids.split(',') : [],
    participant_count: row.participant_count,
    recording_id: row.recording_id,
    recording_ids: JSON.parse(row.recording_ids),
    end_reason: row.end_reason,
    tm_create: row.tm_create,
    tm_update: row.tm_update,
    tm_delete: row.tm_delete,
    revision: String(row.revision),
  };
}
