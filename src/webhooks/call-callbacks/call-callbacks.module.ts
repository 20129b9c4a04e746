import { Module, type OnModuleInit } from '@nestjs/common';
import { CallHistoryModule } from '../../calls/call-history/call-history.module';
import { EventCatalogModule } from '../../event-catalog/event-catalog.module';
import { ProjectionEngine } from '../../projections/projection-engine';
import { ReactorEngine } from '../../reactors/reactor-engine';
import { SecretSealer } from '../secret-sealing';
import { WebhookOutbox } from '../webhook-outbox';
import { WebhookQueries } from '../webhook-queries';
import { CallCallbackReactor } from './call-callback.reactor';
import { CallCallbackDeliveriesController } from './call-callback-deliveries.controller';
import { CallCallbackOutbox } from './call-callback-outbox';
import { CallCallbackTargets } from './call-callback-targets';
import { CallbackSecretController } from './callback-secret.controller';
import { CallbackSecretQueries } from './callback-secret-queries';
import { callbackSecretsProjection } from './callback-secrets.projection';
import { RotateCallbackSecretHandler } from './rotate-callback-secret.handler';

/**
 * Per-call status callbacks (Twilio's StatusCallback): the tenant's callback secret, the reactor that puts
 * a call's events into the webhook outbox for its `status_callback`, and the target the dispatcher asks
 * for such deliveries. Sending, retries and the delivery log are the webhooks module's own.
 * (WebhookQueries and WebhookOutbox are stateless; this module has its own instances.)
 */
@Module({
  imports: [EventCatalogModule, CallHistoryModule],
  controllers: [CallbackSecretController, CallCallbackDeliveriesController],
  providers: [
    CallbackSecretQueries,
    RotateCallbackSecretHandler,
    CallCallbackOutbox,
    CallCallbackReactor,
    CallCallbackTargets,
    WebhookQueries,
    WebhookOutbox,
    SecretSealer,
  ],
  exports: [CallCallbackTargets, SecretSealer],
})
export class CallCallbacksModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionEngine,
    private readonly reactors: ReactorEngine,
    private readonly reactor: CallCallbackReactor,
  ) {}

  onModuleInit(): void {
    this.projections.register(callbackSecretsProjection);
    this.reactors.register(this.reactor);
  }
}
