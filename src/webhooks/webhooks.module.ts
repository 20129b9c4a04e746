import { Module, type OnModuleInit } from '@nestjs/common';
import { EventCatalogModule } from '../event-catalog/event-catalog.module';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReactorEngine } from '../reactors/reactor-engine';
import { CallCallbacksModule } from './call-callbacks/call-callbacks.module';
import { DeliveryTargets } from './delivery-targets';
import { ExecuteWebhookEndpointHandler } from './execute-webhook-endpoint.handler';
import { webhookDeliveriesProjection } from './webhook-deliveries.projection';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { webhookEndpointsProjection } from './webhook-endpoints.projection';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookOutboxReactor } from './webhook-outbox.reactor';
import { WebhookQueries } from './webhook-queries';

/**
 * Webhooks: endpoints (event-sourced), the outbox reactor that turns public events into deliveries
 * stored in the event store, the dispatcher that signs and sends them, and the delivery log.
 */
@Module({
  imports: [EventCatalogModule, CallCallbacksModule],
  controllers: [WebhookEndpointsController],
  providers: [
    ExecuteWebhookEndpointHandler,
    WebhookQueries,
    WebhookOutbox,
    WebhookOutboxReactor,
    WebhookDispatcher,
    DeliveryTargets,
  ],
})
export class WebhooksModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionEngine,
    private readonly reactors: ReactorEngine,
    private readonly outboxReactor: WebhookOutboxReactor,
  ) {}

  onModuleInit(): void {
    this.projections.register(webhookEndpointsProjection);
    this.projections.register(webhookDeliveriesProjection);
    this.reactors.register(this.outboxReactor);
  }
}
