import { Inject, Injectable } from '@nestjs/common';
import type { PublishedEvent } from '../../event-catalog/cloud-event';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store';
import { WrongExpectedVersion } from '../../event-store/event-store.errors';
import {
  deliveryEventIdOf,
  deliveryIdOf,
  type WebhookDeliveryScheduled,
  webhookDeliveryStreamId,
} from '../webhook-delivery';
import { WEBHOOK_ACTOR } from '../webhook-outbox';

/**
 * A call's status callback is a delivery target of its own, named `callback-<callId>`: its deliveries are
 * ordinary outbox deliveries (`webhook-delivery-<id>` streams, the same log, dispatcher, retries and
 * signing as endpoints), ordered per target and call like an endpoint's, but with the call's URL and the
 * tenant's callback secret. The prefix can never be an endpoint id (those are UUIDs).
 */
export const CALL_CALLBACK_TARGET_PREFIX = 'callback-';
export const callCallbackTargetId = (callId: string) => `${CALL_CALLBACK_TARGET_PREFIX}${callId}`;
export const isCallCallbackTarget = (targetId: string) => targetId.startsWith(CALL_CALLBACK_TARGET_PREFIX);

/** Writes a call callback delivery into the outbox; idempotent (derived ids, `no_stream`). */
@Injectable()
export class CallCallbackOutbox {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async schedule(callId: string, event: PublishedEvent, at: string): Promise<string> {
    const targetId = callCallbackTargetId(callId);
    const deliveryId = deliveryIdOf(targetId, event.cloudEvent.id);
    const data: WebhookDeliveryScheduled['data'] = {
      deliveryId,
      endpointId: targetId,
      customerId: event.customerId,
      eventId: event.cloudEvent.id,
      eventType: event.cloudEvent.type,
      position: event.position.toString(),
      orderingKey: callId,
      body: JSON.stringify(event.cloudEvent),
      reason: 'event',
      at,
    };
    try {
      await this.store.appendToStream(
        webhookDeliveryStreamId(deliveryId),
        [
          {
            id: deliveryEventIdOf(deliveryId, 'scheduled'),
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
      // Scheduled before (a re-reaction after a crash): nothing to add.
      if (!(error instanceof WrongExpectedVersion)) throw error;
    }
    return deliveryId;
  }
}
