import { v5 as uuidv5 } from 'uuid';
import type { DomainEvent } from '../domain/decider';

/**
 * The durable outbox: one stream per (endpoint, event) delivery, `webhook-delivery-<id>`, in the event
 * store itself, so a delivery scheduled survives `kill -9` and any instance can send it. Ids are derived
 * from the endpoint and the event, so reacting to the same event twice schedules nothing new.
 */
export type DeliveryReason = 'event' | 'recover';
export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed';

export type WebhookDeliveryScheduled = DomainEvent<
  'WebhookDeliveryScheduled',
  {
    deliveryId: string;
    endpointId: string;
    customerId: string;
    eventId: string;
    eventType: string;
    /** Global position of the public event, a decimal string: deliveries go out in this order. */
    position: string;
    /** The call or conference: order is kept per endpoint and per this key. */
    orderingKey: string;
    /** The exact body every attempt sends (a retry must sign the same bytes). */
    body: string;
    reason: DeliveryReason;
    at: string;
  }
>;
export type WebhookDeliveryAttempted = DomainEvent<
  'WebhookDeliveryAttempted',
  {
    deliveryId: string;
    attempt: number;
    outcome: AttemptOutcome;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
    at: string;
    nextAttemptAt: string | null;
  }
>;
/** A client asked to send it again (manual retry): pending now, attempts continue counting. */
export type WebhookDeliveryRetryRequested = DomainEvent<
  'WebhookDeliveryRetryRequested',
  { deliveryId: string; at: string }
>;

export type WebhookDeliveryEvent =
  | WebhookDeliveryScheduled
  | WebhookDeliveryAttempted
  | WebhookDeliveryRetryRequested;

export const WEBHOOK_DELIVERY_STREAM_PREFIX = 'webhook-delivery-';
export const webhookDeliveryStreamId = (deliveryId: string) =>
  `${WEBHOOK_DELIVERY_STREAM_PREFIX}${deliveryId}`;

/** A fixed namespace for the name-based (v5) ids of deliveries and their events. */
const DELIVERY_NAMESPACE = '6f1c1a52-6d7e-4d1c-9a51-2f4d3b0c7e11';

/** The same endpoint, event (and recover request) always give the same delivery id. */
export function deliveryIdOf(endpointId: string, eventId: string, recoverId?: string): string {
  return uuidv5(`${endpointId}/${eventId}${recoverId ? `/${recoverId}` : ''}`, DELIVERY_NAMESPACE);
}

/** Deterministic event ids, so a repeated append of the same fact is recognised by the store. */
export function deliveryEventIdOf(deliveryId: string, what: string): string {
  return uuidv5(`${deliveryId}/${what}`, DELIVERY_NAMESPACE);
}
