import { ApiProperty } from '@nestjs/swagger';
import type { WebhookEndpoint } from './webhook-endpoint';
import type { DeliveryRecord } from './webhook-queries';

export class WebhookEndpointView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'null = every type.' })
  event_types!: string[] | null;
  @ApiProperty() description!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ enum: ['gone', 'failing'], nullable: true, description: 'Why the system disabled it.' })
  disabled_reason!: string | null;
  @ApiProperty() tm_create!: string;
  @ApiProperty() tm_update!: string;
  @ApiProperty() revision!: string;
}

/** Only the creation and rotation answers carry the secret: it is never shown again. */
export class WebhookEndpointWithSecretView extends WebhookEndpointView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown once.' })
  secret!: string;
}

export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header of every attempt.' }) id!: string;
  @ApiProperty({ format: 'uuid' }) event_id!: string;
  @ApiProperty() event_type!: string;
  @ApiProperty({ description: 'Global position of the event.' }) sequence!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty({ enum: ['event', 'recover'] }) reason!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) attempts!: object[];
  @ApiProperty({ type: Number, nullable: true }) last_status_code!: number | null;
  @ApiProperty({ type: Number, nullable: true }) last_latency_ms!: number | null;
  @ApiProperty({ type: String, nullable: true }) last_error!: string | null;
  @ApiProperty({ type: String, nullable: true }) next_attempt_at!: string | null;
  @ApiProperty() tm_create!: string;
}

export function webhookEndpointView(
  endpoint: WebhookEndpoint,
  revision: bigint | number,
): WebhookEndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    event_types: endpoint.eventTypes,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    tm_create: endpoint.tmCreate,
    tm_update: endpoint.tmUpdate,
    revision: String(revision),
  };
}

export function webhookDeliveryView(delivery: DeliveryRecord): WebhookDeliveryView {
  const last = delivery.attempts.at(-1);
  return {
    id: delivery.deliveryId,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    sequence: delivery.position.toString(),
    status: delivery.status,
    reason: delivery.reason,
    attempts: delivery.attempts.map((a) => ({
      attempt: a.attempt,
      outcome: a.outcome,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      error: a.error,
      at: a.at,
    })),
    last_status_code: last?.statusCode ?? null,
    last_latency_ms: last?.latencyMs ?? null,
    last_error: last?.error ?? null,
    next_attempt_at:
      delivery.status === 'pending' && delivery.nextAttemptAt !== null
        ? new Date(delivery.nextAttemptAt).toISOString()
        : null,
    tm_create: delivery.tmCreate,
  };
}
