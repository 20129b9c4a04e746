import { Injectable } from '@nestjs/common';
import { cloudEventJson, type PublishedEvent } from '../../event-catalog/cloud-event';
import { deliveryIdOf, type WebhookDeliveryScheduled } from '../webhook-delivery';
import { WebhookOutbox } from '../webhook-outbox';

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
  constructor(private readonly outbox: WebhookOutbox) {}

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
      body: cloudEventJson(event),
      reason: 'event',
      at,
    };
    return this.outbox.appendScheduled(data);
  }
}
