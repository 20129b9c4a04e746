import { Injectable } from '@nestjs/common';
import type { PageCursor } from '../http/pagination';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReadModelDatabase } from '../projections/read-model-database';
import { WEBHOOK_DELIVERIES_PROJECTION, type WebhookDeliveriesTables } from './webhook-deliveries.projection';
import type { WebhookDeliveryAttempted } from './webhook-delivery';
import type { WebhookEndpoint } from './webhook-endpoint';
import { WEBHOOK_ENDPOINTS_PROJECTION, type WebhookEndpointsTables } from './webhook-endpoints.projection';

export interface EndpointRecord {
  endpoint: WebhookEndpoint;
  revision: number;
  createdPosition: bigint;
}

export interface DeliveryRecord {
  deliveryId: string;
  endpointId: string;
  customerId: string;
  eventId: string;
  eventType: string;
  position: bigint;
  orderingKey: string;
  body: string;
  reason: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: WebhookDeliveryAttempted['data'][];
  nextAttemptAt: number | null;
  tmCreate: string;
  revision: number;
}

interface EndpointRow {
  state: string;
  revision: number;
  created_position: number;
}
interface DeliveryRow {
  delivery_id: string;
  endpoint_id: string;
  customer_id: string;
  event_id: string;
  event_type: string;
  position: number;
  ordering_key: string;
  body: string;
  reason: string;
  status: DeliveryRecord['status'];
  attempts: string;
  next_attempt_at: number | null;
  tm_create: string;
  revision: number;
}

/** Queries of the two webhook read models; every client-facing one is scoped by tenant. */
@Injectable()
export class WebhookQueries {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly readModels: ReadModelDatabase,
  ) {}

  endpoint(customerId: string, endpointId: string): EndpointRecord | null {
    const row = this.readModels
      .statement<[string, string], EndpointRow>(
        `SELECT * FROM ${this.endpoints()} WHERE customer_id = ? AND endpoint_id = ? AND deleted = 0`,
      )
      .get(customerId, endpointId);
    return row ? toEndpoint(row) : null;
  }

  /** Newest first, keyset-paged on (tm_create, endpoint_id): `limit` rows after `after`. */
  endpointsOf(customerId: string, limit: number, after: PageCursor | null = null): EndpointRecord[] {
    return this.readModels
      .statement<[string, string, string, number], EndpointRow>(
        `SELECT * FROM ${this.endpoints()} WHERE customer_id = ? AND deleted = 0
           AND (tm_create, endpoint_id) < (?, ?)
         ORDER BY tm_create DESC, endpoint_id DESC LIMIT ?`,
      )
      .all(customerId, ...afterOf(after), limit)
      .map(toEndpoint);
  }

  /** Enabled endpoints that existed before `position`: only they receive the event there. */
  subscribersAt(customerId: string, position: bigint): EndpointRecord[] {
    return this.readModels
      .statement<[string, number], EndpointRow>(
        `SELECT * FROM ${this.endpoints()}
         WHERE customer_id = ? AND enabled = 1 AND deleted = 0 AND created_position < ?`,
      )
      .all(customerId, Number(position))
      .map(toEndpoint);
  }

  /** Secrets and state of any endpoint (the dispatcher's view: no tenant filter, it is the system). */
  endpointById(endpointId: string): EndpointRecord | null {
    const row = this.readModels
      .statement<[string], EndpointRow>(`SELECT * FROM ${this.endpoints()} WHERE endpoint_id = ?`)
      .get(endpointId);
    return row ? toEndpoint(row) : null;
  }

  /**
   * Due deliveries, oldest first, only the first pending one per (endpoint, call/conference) so that
   * order is kept: a later event waits while an earlier one is retried. Disabled endpoints wait.
   * Call callbacks (`callback-<callId>` targets, src/webhooks/call-callbacks) have no endpoint row.
   * `skipDeliveries` (in flight) and `skipEndpoints` (at their concurrency cap) are left out in SQL, so
   * the page holds only what can start now: a backlog at one failing endpoint never hides the others.
   */
  dueDeliveries(
    nowMs: number,
    limit: number,
    skipDeliveries: readonly string[] = [],
    skipEndpoints: readonly string[] = [],
  ): DeliveryRecord[] {
    const d = this.deliveries();
    return this.readModels
      .statement<[number, string, string, number], DeliveryRow>(
        `SELECT d.* FROM ${d} d LEFT JOIN ${this.endpoints()} e ON e.endpoint_id = d.endpoint_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= ?
           AND (e.enabled = 1 AND e.deleted = 0 OR e.endpoint_id IS NULL AND d.endpoint_id LIKE 'callback-%')
           AND d.delivery_id NOT IN (SELECT value FROM json_each(?))
           AND d.endpoint_id NOT IN (SELECT value FROM json_each(?))
           AND d.position = (SELECT MIN(position) FROM ${d} f WHERE f.endpoint_id = d.endpoint_id
                             AND f.ordering_key = d.ordering_key AND f.status = 'pending')
         ORDER BY d.next_attempt_at LIMIT ?`,
      )
      .all(nowMs, JSON.stringify(skipDeliveries), JSON.stringify(skipEndpoints), limit)
      .map(toDelivery);
  }

  delivery(customerId: string, endpointId: string, deliveryId: string): DeliveryRecord | null {
    const row = this.readModels
      .statement<[string, string, string], DeliveryRow>(
        `SELECT * FROM ${this.deliveries()} WHERE customer_id = ? AND endpoint_id = ? AND delivery_id = ?`,
      )
      .get(customerId, endpointId, deliveryId);
    return row ? toDelivery(row) : null;
  }

  /** The delivery log since `since` (ISO), newest first, keyset-paged on (tm_create, delivery_id). */
  deliveriesOf(
    customerId: string,
    endpointId: string,
    since: string,
    limit: number,
    after: PageCursor | null = null,
  ): DeliveryRecord[] {
    return this.readModels
      .statement<[string, string, string, string, string, number], DeliveryRow>(
        `SELECT * FROM ${this.deliveries()} WHERE customer_id = ? AND endpoint_id = ? AND tm_create >= ?
           AND (tm_create, delivery_id) < (?, ?)
         ORDER BY tm_create DESC, delivery_id DESC LIMIT ?`,
      )
      .all(customerId, endpointId, since, ...afterOf(after), limit)
      .map(toDelivery);
  }

  /** Deliveries of this endpoint created since `since` (ISO), for `recover`. */
  deliveriesSince(customerId: string, endpointId: string, since: string, limit: number): DeliveryRecord[] {
    return this.readModels
      .statement<[string, string, string, number], DeliveryRow>(
        `SELECT * FROM ${this.deliveries()} WHERE customer_id = ? AND endpoint_id = ? AND tm_create >= ?
           AND reason = 'event' ORDER BY position LIMIT ?`,
      )
      .all(customerId, endpointId, since, limit)
      .map(toDelivery);
  }

  failingSince(endpointId: string): string | null {
    const row = this.readModels
      .statement<[string], { failing_since: string | null }>(
        `SELECT failing_since FROM ${this.engine.tables<'health'>(WEBHOOK_DELIVERIES_PROJECTION).health}
         WHERE endpoint_id = ?`,
      )
      .get(endpointId);
    return row?.failing_since ?? null;
  }

  private endpoints(): string {
    return this.engine.tables<keyof WebhookEndpointsTables & string>(WEBHOOK_ENDPOINTS_PROJECTION).endpoints;
  }

  private deliveries(): string {
    return this.engine.tables<keyof WebhookDeliveriesTables & string>(WEBHOOK_DELIVERIES_PROJECTION)
      .deliveries;
  }
}

function toEndpoint(row: EndpointRow): EndpointRecord {
  return {
    endpoint: JSON.parse(row.state),
    revision: row.revision,
    createdPosition: BigInt(row.created_position),
  };
}

function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    deliveryId: row.delivery_id,
    endpointId: row.endpoint_id,
    customerId: row.customer_id,
    eventId: row.event_id,
    eventType: row.event_type,
    position: BigInt(row.position),
    orderingKey: row.ordering_key,
    body: row.body,
    reason: row.reason,
    status: row.status,
    attempts: JSON.parse(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    tmCreate: row.tm_create,
    revision: row.revision,
  };
}

/** The keyset bound of a page: before every row when there is no cursor ('~' sorts after any ISO time). */
function afterOf(cursor: PageCursor | null): [string, string] {
  return cursor ? [cursor.created, cursor.id] : ['~', ''];
}
