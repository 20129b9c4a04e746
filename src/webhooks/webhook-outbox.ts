import { Inject, Injectable } from '@nestjs/common';
import { ruleViolated } from '../domain/domain-error';
import { cloudEventJson, type PublishedEvent } from '../event-catalog/cloud-event';
import { matchesAnyType } from '../event-catalog/public-event-types';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { WrongExpectedVersion } from '../event-store/event-store.errors';
import {
  deliveryEventIdOf,
  deliveryIdOf,
  type WebhookDeliveryRetryRequested,
  type WebhookDeliveryScheduled,
  webhookDeliveryStreamId,
} from './webhook-delivery';
import type { WebhookEndpoint } from './webhook-endpoint';
import type { DeliveryRecord } from './webhook-queries';

export const WEBHOOK_ACTOR = 'system:webhooks';

/** Writes deliveries into the store. Idempotent: the same (endpoint, event[, recover]) appends once. */
@Injectable()
export class WebhookOutbox {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  wants(endpoint: WebhookEndpoint, event: PublishedEvent): boolean {
    return (
      endpoint.customerId === event.customerId && matchesAnyType(endpoint.eventTypes, event.cloudEvent.type)
    );
  }

  /** Returns the delivery id; a repeat (same ids already stored) appends nothing. */
  schedule(endpoint: WebhookEndpoint, event: PublishedEvent, at: string): Promise<string> {
    return this.appendScheduled({
      deliveryId: deliveryIdOf(endpoint.id, event.cloudEvent.id),
      endpointId: endpoint.id,
      customerId: endpoint.customerId,
      eventId: event.cloudEvent.id,
      eventType: event.cloudEvent.type,
      position: event.position.toString(),
      orderingKey: event.orderingKey,
      body: cloudEventJson(event),
      reason: 'event',
      at,
    });
  }

  /** `recover`: a new delivery of the same body, under an id derived from the recover request. */
  reschedule(
    endpoint: WebhookEndpoint,
    delivery: DeliveryRecord,
    at: string,
    requestId: string,
  ): Promise<string> {
    return this.appendScheduled({
      deliveryId: deliveryIdOf(endpoint.id, delivery.eventId, requestId),
      endpointId: endpoint.id,
      customerId: endpoint.customerId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      position: delivery.position.toString(),
      orderingKey: delivery.orderingKey,
      body: delivery.body,
      reason: 'recover',
      at,
    });
  }

  /**
   * Appends a delivery's first event, whoever the target (an endpoint, or a call's status callback in
   * call-callbacks/); a repeat (a re-reaction after a crash) appends nothing. Returns the delivery id.
   */
  async appendScheduled(data: WebhookDeliveryScheduled['data']): Promise<string> {
    try {
      await this.store.appendToStream(
        webhookDeliveryStreamId(data.deliveryId),
        [
          {
            id: deliveryEventIdOf(data.deliveryId, 'scheduled'),
            type: 'WebhookDeliveryScheduled',
            data,
            metadata: {
              correlation_id: data.eventId,
              causation_id: data.eventId,
              customer_id: data.customerId,
              actor: WEBHOOK_ACTOR,
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      // Already scheduled (and perhaps attempted since): the stream moved on, which is what we wanted.
      if (!(error instanceof WrongExpectedVersion)) throw error;
    }
    return data.deliveryId;
  }

  /** Manual retry: the delivery is due again now. Refused while it is still pending (it will go anyway). */
  async requestRetry(delivery: DeliveryRecord, requestId: string, at: string): Promise<void> {
    if (delivery.status === 'pending')
      throw ruleViolated('webhook_delivery.pending', 'This delivery is still pending; it will be attempted');
    const retry: WebhookDeliveryRetryRequested = {
      type: 'WebhookDeliveryRetryRequested',
      data: { deliveryId: delivery.deliveryId, at },
    };
    await this.store.appendToStream(
      webhookDeliveryStreamId(delivery.deliveryId),
      [
        {
          id: deliveryEventIdOf(delivery.deliveryId, `retry-${requestId}`),
          type: retry.type,
          data: retry.data,
          metadata: {
            correlation_id: requestId,
            causation_id: requestId,
            customer_id: delivery.customerId,
            actor: WEBHOOK_ACTOR,
          },
        },
      ],
      { expectedRevision: BigInt(delivery.revision) },
    );
  }
}
