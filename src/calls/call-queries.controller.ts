import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditTrail } from '../audit/audit-trail';
import { EventPage } from '../audit/event-view';
import { streamPointOf, TimeTravelRequest } from '../audit/time-travel.request';
import { notFound } from '../domain/domain-error';
import { DEFAULT_PAGE_SIZE, pageCursorOf } from '../http/pagination';
import { CurrentPrincipal, type Principal, Roles } from '../http/principal';
import { ReadsFrom } from '../http/reads-from.decorator';
import { setRevisionHeaders } from '../http/revision-headers';
import { UuidPipe } from '../http/uuid.pipe';
import { evolve, initialState, isCall } from './call';
import { CallHistory, type CallPage } from './call-history/call-history';
import { CALL_HISTORY } from './call-history/call-history.projection';
import { CallHistoryRequest, ListCallsRequest } from './call-history/list-calls.request';
import { callStreamId } from './call-stream';
import { CallView, callView } from './call-view';

const callNotFound = (callId: string) => () =>
  notFound('call.not_found', `call ${callId} not found`, { callId });

const NEXT_PAGE = {
  type: String,
  nullable: true,
  description: 'Pass as `page_token` for the next page; null on the last page.',
};

class CallListView {
  @ApiProperty({ type: [CallView], description: 'Newest first.' })
  result!: CallView[];
  @ApiProperty(NEXT_PAGE)
  next_page_token!: string | null;
}

class CallHistoryView {
  @ApiProperty({ type: [CallView], description: 'Newest first (seed 000).' })
  call_records!: CallView[];
  @ApiProperty(NEXT_PAGE)
  next_page_token!: string | null;
}

/** Reads of calls: the call-history read model, except the audit trail, which is the call's own stream. */
@ApiTags('calls')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/calls')
export class CallQueriesController {
  constructor(
    private readonly calls: CallHistory,
    private readonly audit: AuditTrail,
  ) {}

  @Get()
  @ReadsFrom(CALL_HISTORY)
  @ApiOperation({ summary: 'List calls, newest first, with filters and cursor pagination.' })
  @ApiResponse({ status: 200, type: CallListView })
  list(@Query() query: ListCallsRequest, @CurrentPrincipal() principal: Principal): CallListView {
    const page = this.calls.list(
      principal.customerId,
      {
        status: query.status,
        direction: query.direction,
        type: query.type,
        contactId: query.contact_id,
        userId: query.user_id,
        hangupReason: query.hangup_reason,
        createdAfter: query.created_after,
        createdBefore: query.created_before,
      },
      query.page_size ?? DEFAULT_PAGE_SIZE,
      pageCursorOf(query),
    );
    return { result: views(page), next_page_token: page.nextPageToken };
  }

  // Declared before `:id` so that `history` is never taken for an id.
  @Get('history')
  @ReadsFrom(CALL_HISTORY)
  @ApiOperation({ summary: "A user's call history: calls it made or received, newest first (seed 000)." })
  @ApiResponse({ status: 200, type: CallHistoryView })
  history(@Query() query: CallHistoryRequest, @CurrentPrincipal() principal: Principal): CallHistoryView {
    const page = this.calls.history(
      principal.customerId,
      query.user_id ?? null,
      query.limit ?? DEFAULT_PAGE_SIZE,
      pageCursorOf(query),
    );
    return { call_records: views(page), next_page_token: page.nextPageToken };
  }

  @Get(':id')
  @ReadsFrom(CALL_HISTORY)
  @ApiOperation({
    summary: 'Get a call; the ETag is its revision. With at_revision or as_of: the call as it was then.',
  })
  @ApiResponse({ status: 200, type: CallView })
  async get(
    @Param('id', new UuidPipe('id')) id: string,
    @Query() query: TimeTravelRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    const point = streamPointOf(query);
    const found = point
      ? await this.audit.stateAt(
          { evolve, initialState },
          principal.customerId,
          callStreamId(id),
          point,
          callNotFound(id),
        )
      : this.current(principal.customerId, id);
    if (!isCall(found.state)) throw callNotFound(id)();
    setRevisionHeaders(reply, found.revision);
    return callView(found.state, found.revision);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The call's events with their metadata, in order: its audit trail." })
  @ApiResponse({ status: 200, type: EventPage })
  async auditTrail(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EventPage> {
    return { result: await this.audit.events(principal.customerId, callStreamId(id), callNotFound(id)) };
  }

  private current(customerId: string, id: string) {
    const found = this.calls.byId(customerId, id);
    if (!found) throw callNotFound(id)();
    return { state: found.call, revision: found.revision };
  }
}

function views(page: CallPage): CallView[] {
  return page.records.map(({ call, revision }) => callView(call, revision));
}
