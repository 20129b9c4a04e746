import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/event-store';
import type { Projection, TableNames } from '../projections/projection';
import {
  endpointIdFromStream,
  evolveWebhookEndpoint,
  type WebhookEndpoint,
  type WebhookEndpointEvent,
} from './webhook-endpoint';

export const WEBHOOK_ENDPOINTS_PROJECTION = 'webhook-endpoints';
export type WebhookEndpointsTables = TableNames<'endpoints'>;

/**
 * Endpoints by tenant, with the position of their creation ("never for events older than the endpoint")
 * and their secrets (the dispatcher signs from here). The row holds the folded state as JSON, written
 * through `evolveWebhookEndpoint`, so the read model cannot drift from the aggregate; guarded by revision.
 */
export const webhookEndpointsProjection: Projection<'endpoints'> = {
  name: WEBHOOK_ENDPOINTS_PROJECTION,
  version: 1,
  tables: ['endpoints'],
  setup(db: Database.Database, t: WebhookEndpointsTables) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.endpoints} (
        endpoint_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, state TEXT NOT NULL,
        enabled INTEGER NOT NULL, deleted INTEGER NOT NULL, created_position INTEGER NOT NULL,
        tm_create TEXT NOT NULL, revision INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${t.endpoints}_by_customer
        ON ${t.endpoints} (customer_id, tm_create DESC, endpoint_id DESC);
    `);
    const select = db.prepare<[string], { state: string; revision: number }>(
      `SELECT state, revision FROM ${t.endpoints} WHERE endpoint_id = ?`,
    );
    const upsert = db.prepare(
      `INSERT INTO ${t.endpoints} (endpoint_id, customer_id, state, enabled, deleted, created_position,
         tm_create, revision)
       VALUES (@id, @customerId, @state, @enabled, @deleted, @position, @tmCreate, @revision)
       ON CONFLICT (endpoint_id) DO UPDATE SET state = @state, enabled = @enabled, deleted = @deleted,
         revision = @revision`,
    );
    return {
      handle(event: RecordedEvent) {
        const id = endpointIdFromStream(event.streamId);
        if (id === null) return;
        const row = select.get(id);
        if (row && row.revision >= Number(event.revision)) return;
        const before: WebhookEndpoint | null = row ? JSON.parse(row.state) : null;
        const after = evolveWebhookEndpoint(before, {
          type: event.type,
          data: event.data,
        } as WebhookEndpointEvent);
        if (after === null) return;
        upsert.run({
          id,
          customerId: after.customerId,
          state: JSON.stringify(after),
          enabled: after.enabled ? 1 : 0,
          deleted: after.deleted ? 1 : 0,
          position: Number(event.position),
          tmCreate: after.tmCreate,
          revision: Number(event.revision),
        });
      },
    };
  },
};
