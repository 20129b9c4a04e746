import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../event-store/event-store';
import type { Projection, TableNames } from '../projections/projection';
import { WEBHOOK_DELIVERY_STREAM_PREFIX, type WebhookDeliveryEvent } from './webhook-delivery';

export const WEBHOOK_DELIVERIES_PROJECTION = 'webhook-deliveries';
export type WebhookDeliveriesTables = TableNames<'deliveries' | 'health'>;

/**
 * The delivery log and the dispatcher's queue: one row per delivery (status, attempts, next attempt),
 * and per endpoint since when it has been failing (5 days of that disables it). Guarded by revision.
 * `next_attempt_at` is epoch milliseconds so "what is due" is one index range.
 */
export const webhookDeliveriesProjection: Projection<'deliveries' | 'health'> = {
  name: WEBHOOK_DELIVERIES_PROJECTION,
  version: 1,
  tables: ['deliveries', 'health'],
  setup(db: Database.Database, t: WebhookDeliveriesTables) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${t.deliveries} (
        delivery_id TEXT PRIMARY KEY, endpoint_id TEXT NOT NULL, customer_id TEXT NOT NULL,
        event_id TEXT NOT NULL, event_type TEXT NOT NULL, position INTEGER NOT NULL, ordering_key TEXT NOT NULL,
        body TEXT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL, attempts TEXT NOT NULL,
        next_attempt_at INTEGER, tm_create TEXT NOT NULL, tm_update TEXT NOT NULL, revision INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${t.deliveries}_due ON ${t.deliveries} (status, next_attempt_at);
      CREATE INDEX IF NOT EXISTS ${t.deliveries}_order
        ON ${t.deliveries} (endpoint_id, ordering_key, status, position);
      CREATE INDEX IF NOT EXISTS ${t.deliveries}_log
        ON ${t.deliveries} (customer_id, endpoint_id, tm_create DESC, delivery_id DESC);
      CREATE TABLE IF NOT EXISTS ${t.health} (endpoint_id TEXT PRIMARY KEY, failing_since TEXT);
    `);
    const insert = db.prepare(
      `INSERT INTO ${t.deliveries} (delivery_id, endpoint_id, customer_id, event_id, event_type, position,
         ordering_key, body, reason, status, attempts, next_attempt_at, tm_create, tm_update, revision)
       VALUES (@deliveryId, @endpointId, @customerId, @eventId, @eventType, @position, @orderingKey, @body,
         @reason, 'pending', '[]', @due, @at, @at, @revision)
       ON CONFLICT (delivery_id) DO NOTHING`,
    );
    const select = db.prepare<[string], { attempts: string; endpoint_id: string; revision: number }>(
      `SELECT attempts, endpoint_id, revision FROM ${t.deliveries} WHERE delivery_id = ?`,
    );
    const update = db.prepare(
      `UPDATE ${t.deliveries} SET status = @status, attempts = @attempts, next_attempt_at = @due,
         tm_update = @at, revision = @revision WHERE delivery_id = @deliveryId`,
    );
    const failing = db.prepare(
      `INSERT INTO ${t.health} (endpoint_id, failing_since) VALUES (@endpointId, @at)
       ON CONFLICT (endpoint_id) DO UPDATE SET failing_since = COALESCE(failing_since, @at)`,
    );
    const healthy = db.prepare(
      `INSERT INTO ${t.health} (endpoint_id, failing_since) VALUES (?, NULL)
       ON CONFLICT (endpoint_id) DO UPDATE SET failing_since = NULL`,
    );
    return {
      handle(event: RecordedEvent) {
        if (!event.streamId.startsWith(WEBHOOK_DELIVERY_STREAM_PREFIX)) return;
        const revision = Number(event.revision);
        const domainEvent = { type: event.type, data: event.data } as WebhookDeliveryEvent;
        if (domainEvent.type === 'WebhookDeliveryScheduled') {
          const d = domainEvent.data;
          insert.run({ ...d, position: Number(d.position), due: Date.parse(d.at), revision });
          return;
        }
        const row = select.get(domainEvent.data.deliveryId);
        if (!row || row.revision >= revision) return;
        const at = domainEvent.data.at;
        switch (domainEvent.type) {
          case 'WebhookDeliveryAttempted': {
            const d = domainEvent.data;
            const attempts = [...JSON.parse(row.attempts), d];
            const status = d.outcome === 'retrying' ? 'pending' : d.outcome;
            const due = d.nextAttemptAt === null ? null : Date.parse(d.nextAttemptAt);
            update.run({
              deliveryId: d.deliveryId,
              status,
              attempts: JSON.stringify(attempts),
              due,
              at,
              revision,
            });
            if (d.outcome === 'succeeded') healthy.run(row.endpoint_id);
            else failing.run({ endpointId: row.endpoint_id, at });
            return;
          }
          case 'WebhookDeliveryRetryRequested':
            update.run({
              deliveryId: domainEvent.data.deliveryId,
              status: 'pending',
              attempts: row.attempts,
              due: Date.parse(at),
              at,
              revision,
            });
            return;
        }
      },
    };
  },
};
