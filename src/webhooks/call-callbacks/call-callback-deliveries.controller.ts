import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CallHistory } from '../../calls/call-history/call-history';
import { CALL_HISTORY } from '../../calls/call-history/call-history.projection';
import { CLOCK, type Clock } from '../../domain/clock';
import { notFound } from '../../domain/domain-error';
import { CurrentPrincipal, type Principal, Roles } from '../../http/principal';
import { ReadsFrom } from '../../http/reads-from.decorator';
import { UuidPipe } from '../../http/uuid.pipe';
import { WEBHOOK_DELIVERIES_PROJECTION } from '../webhook-deliveries.projection';
import { WebhookDeliveryView, webhookDeliveryView } from '../webhook-endpoint-view';
import { WebhookQueries } from '../webhook-queries';
import { callCallbackTargetId } from './call-callback-outbox';

const LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_LIST = 100;

class CallbackDeliveryPage {
  @ApiProperty({ type: [WebhookDeliveryView], description: 'Newest first.' })
  result!: WebhookDeliveryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: a call has few deliveries.' })
  next_page_token!: null;
}

/** The delivery log of one call's `status_callback`, in the shape of an endpoint's delivery log. */
@ApiTags('calls')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/calls')
export class CallCallbackDeliveriesController {
  constructor(
    private readonly calls: CallHistory,
    private readonly queries: WebhookQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':id/callback-deliveries')
  @ReadsFrom(CALL_HISTORY, WEBHOOK_DELIVERIES_PROJECTION)
  @ApiOperation({
    summary: 'Deliveries to this call’s status_callback (30 days, newest first): attempts, status codes.',
  })
  @ApiResponse({ status: 200, type: CallbackDeliveryPage })
  @ApiResponse({ status: 404, description: 'Unknown call, or another tenant’s.' })
  deliveries(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): CallbackDeliveryPage {
    if (!this.calls.byId(principal.customerId, id))
      throw notFound('call.not_found', `call ${id} not found`, { callId: id });
    const since = new Date(this.clock.now().getTime() - LOG_RETENTION_MS).toISOString();
    const rows = this.queries
      .deliveriesOf(principal.customerId, callCallbackTargetId(id), MAX_LIST)
      .filter((d) => d.tmCreate >= since);
    return { result: rows.map(webhookDeliveryView), next_page_token: null };
  }
}
