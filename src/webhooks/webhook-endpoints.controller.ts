import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../domain/clock';
import { notFound } from '../domain/domain-error';
import { ID_GENERATOR, type IdGenerator } from '../domain/id-generator';
import { unknownTypePatterns } from '../event-catalog/public-event-types';
import { Idempotent } from '../http/idempotent.decorator';
import { DEFAULT_PAGE_SIZE, type Page, PageRequest, pageCursorOf, pageOf } from '../http/pagination';
import { CurrentPrincipal, type Principal, Roles } from '../http/principal';
import { RequestMetadata } from '../http/request-metadata';
import { UuidPipe } from '../http/uuid.pipe';
import { InputValidationError } from '../http/validation';
import { deliveryLogPage } from './delivery-log-page';
import { ExecuteWebhookEndpointCommand } from './execute-webhook-endpoint.command';
import type { EndpointOutcome } from './execute-webhook-endpoint.handler';
import { checkTargetUrl, TargetRefused } from './outbound-target';
import { SecretSealer } from './secret-sealing';
import { newSigningSecret } from './signing-secret';
import type { WebhookEndpointCommand } from './webhook-endpoint.decider';
import {
  CreateWebhookEndpointRequest,
  RecoverDeliveriesRequest,
  UpdateWebhookEndpointRequest,
} from './webhook-endpoint.request';
import {
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEndpointWithSecretView,
  webhookEndpointView,
} from './webhook-endpoint-view';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookQueries } from './webhook-queries';

const MAX_RECOVER = 10_000;

/** Webhook endpoints of the caller's tenant; foreign and unknown ids are the same 404. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: WebhookQueries,
    private readonly outbox: WebhookOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sealer: SecretSealer,
  ) {}

  @Idempotent()
  @Post()
  @ApiOperation({ summary: 'Register an endpoint; the answer carries its signing secret, shown once.' })
  @ApiResponse({ status: 201, type: WebhookEndpointWithSecretView })
  async create(
    @Body() body: CreateWebhookEndpointRequest,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<WebhookEndpointWithSecretView> {
    this.checkUrl(body.url);
    this.checkTypes(body.event_types);
    const endpointId = this.ids.newId();
    const secret = newSigningSecret();
    const outcome = await this.run(endpointId, metadata, {
      type: 'CreateWebhookEndpoint',
      data: {
        endpointId,
        customerId: metadata.customerId,
        url: body.url,
        eventTypes: body.event_types ?? null,
        description: body.description ?? '',
        enabled: body.enabled ?? true,
        secret: this.sealer.seal(secret), // stored sealed when a key is set; shown once in plaintext
        at: this.now(),
      },
    });
    return { ...webhookEndpointView(outcome.endpoint, outcome.revision), secret };
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s endpoints, newest first, in pages (page_size, page_token).' })
  list(@Query() query: PageRequest, @CurrentPrincipal() principal: Principal): Page<WebhookEndpointView> {
    const size = query.page_size ?? DEFAULT_PAGE_SIZE;
    const records = this.queries.endpointsOf(principal.customerId, size + 1, pageCursorOf(query));
    return pageOf(
      records,
      size,
      (r) => webhookEndpointView(r.endpoint, r.revision),
      (r) => ({ created: r.endpoint.tmCreate, id: r.endpoint.id }),
    );
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: WebhookEndpointView })
  get(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): WebhookEndpointView {
    const record = this.visible(principal, id);
    return webhookEndpointView(record.endpoint, record.revision);
  }

  @Idempotent()
  @Patch(':id')
  @ApiOperation({ summary: 'Change url, event_types, description or enabled (true re-enables).' })
  @ApiResponse({ status: 200, type: WebhookEndpointView })
  async update(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: UpdateWebhookEndpointRequest,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<WebhookEndpointView> {
    if (body.url !== undefined) this.checkUrl(body.url);
    this.checkTypes(body.event_types ?? undefined);
    const outcome = await this.run(id, metadata, {
      type: 'UpdateWebhookEndpoint',
      data: {
        customerId: metadata.customerId,
        url: body.url,
        eventTypes: body.event_types,
        description: body.description,
        enabled: body.enabled,
        at: this.now(),
      },
    });
    return webhookEndpointView(outcome.endpoint, outcome.revision);
  }

  @Idempotent()
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', new UuidPipe('id')) id: string,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<void> {
    await this.run(id, metadata, {
      type: 'DeleteWebhookEndpoint',
      data: { customerId: metadata.customerId, at: this.now() },
    });
  }

  @Idempotent()
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new secret (shown once); the previous one keeps signing for 24 h.' })
  @ApiResponse({ status: 200, type: WebhookEndpointWithSecretView })
  async rotate(
    @Param('id', new UuidPipe('id')) id: string,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<WebhookEndpointWithSecretView> {
    const secret = newSigningSecret();
    const outcome = await this.run(id, metadata, {
      type: 'RotateWebhookEndpointSecret',
      data: { customerId: metadata.customerId, secret: this.sealer.seal(secret), at: this.now() },
    });
    return { ...webhookEndpointView(outcome.endpoint, outcome.revision), secret };
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log of the last 30 days, newest first, in pages.' })
  deliveries(
    @Param('id', new UuidPipe('id')) id: string,
    @Query() query: PageRequest,
    @CurrentPrincipal() principal: Principal,
  ): Page<WebhookDeliveryView> {
    this.visible(principal, id);
    return deliveryLogPage(this.queries, this.clock, principal.customerId, id, query);
  }

  @Idempotent()
  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again now (after it succeeded or failed for good).' })
  async retry(
    @Param('id', new UuidPipe('id')) id: string,
    @Param('deliveryId', new UuidPipe('deliveryId')) deliveryId: string,
    @CurrentPrincipal() principal: Principal,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<{ id: string; status: 'pending' }> {
    this.visible(principal, id);
    const delivery = this.queries.delivery(principal.customerId, id, deliveryId);
    if (!delivery) throw notFound('webhook_delivery.not_found', 'Delivery not found');
    await this.outbox.requestRetry(delivery, metadata.causationId, this.now());
    return { id: deliveryId, status: 'pending' };
  }

  @Idempotent()
  @Post(':id/recover')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-send every delivery of this endpoint created since `since`, in order.' })
  async recover(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: RecoverDeliveriesRequest,
    @CurrentPrincipal() principal: Principal,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<{ scheduled: number }> {
    const { endpoint } = this.visible(principal, id);
    const since = new Date(body.since).toISOString();
    const at = this.now();
    const deliveries = this.queries.deliveriesSince(principal.customerId, id, since, MAX_RECOVER);
    for (const delivery of deliveries) {
      await this.outbox.reschedule(endpoint, delivery, at, metadata.causationId);
    }
    return { scheduled: deliveries.length };
  }

  private visible(principal: Principal, id: string) {
    const record = this.queries.endpoint(principal.customerId, id);
    if (!record) throw notFound('webhook_endpoint.not_found', 'Webhook endpoint not found');
    return record;
  }

  private run(endpointId: string, metadata: CommandMetadata, command: WebhookEndpointCommand) {
    return this.commands.execute<ExecuteWebhookEndpointCommand, EndpointOutcome>(
      new ExecuteWebhookEndpointCommand(endpointId, command, metadata),
    );
  }

  private checkUrl(url: string): void {
    try {
      checkTargetUrl(url, this.config.webhookAllowPrivateTargets ?? false);
    } catch (error) {
      if (error instanceof TargetRefused)
        throw new InputValidationError([{ field: 'url', message: error.message }]);
      throw error;
    }
  }

  private checkTypes(types: string[] | undefined): void {
    const unknown = types ? unknownTypePatterns(types) : [];
    if (unknown.length > 0)
      throw new InputValidationError([
        {
          field: 'event_types',
          message: `unknown event types: ${unknown.join(', ')} (see GET /v1/event-types)`,
        },
      ]);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
