import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CallHistory } from '../../calls/call-history/call-history';
import { CALL_HISTORY } from '../../calls/call-history/call-history.projection';
import { CLOCK, type Clock } from '../../domain/clock';
import { notFound } from '../../domain/domain-error';
import { PageRequest } from '../../http/pagination';
import { CurrentPrincipal, type Principal, Roles } from '../../http/principal';
import { ReadsFrom } from '../../http/reads-from.decorator';
import { UuidPipe } from '../../http/uuid.pipe';
import { deliveryLogPage } from '../delivery-log-page';
import { WEBHOOK_DELIVERIES_PROJECTION } from '../webhook-deliveries.projection';
import { WebhookDeliveryView } from '../webhook-endpoint-view';
import { WebhookQueries } from '../webhook-queries';
import { callCallbackTargetId } from './call-callback-outbox';

class CallbackDeliveryPage {
  @ApiProperty({ type: [WebhookDeliveryView], description: 'Newest first.' })
  result!: WebhookDeliveryView[];
  @ApiProperty({ type: String, nullable: true, description: 'The next page, or null on the last.' })
  next_page_token!: string | null;
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
    @Query() query: PageRequest,
    @CurrentPrincipal() principal: Principal,
  ): CallbackDeliveryPage {
    if (!this.calls.byId(principal.customerId, id))
      throw notFound('call.not_found', `call ${id} not found`, { callId: id });
    return deliveryLogPage(this.queries, this.clock, principal.customerId, callCallbackTargetId(id), query);
  }
}
