import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { notFound } from '../domain/domain-error';
import { DEFAULT_PAGE_SIZE, decodePageToken } from '../http/pagination';
import { CurrentPrincipal, type Principal, Roles } from '../http/principal';
import { ReadsFrom } from '../http/reads-from.decorator';
import { setRevisionHeaders } from '../http/revision-headers';
import { UuidPipe } from '../http/uuid.pipe';
import { CallEvents, CallEventsView } from './call-history/call-events';
import { CallHistory, type CallPage } from './call-history/call-history';
import { CALL_HISTORY } from './call-history/call-history.projection';
import { CallHistoryRequest, ListCallsRequest } from './call-history/list-calls.request';
import { CallView, callView } from './call-view';

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
    private readonly events: CallEvents,
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
      query.page_token === undefined ? null : decodePageToken(query.page_token),
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
      query.page_token === undefined ? null : decodePageToken(query.page_token),
    );
    return { call_records: views(page), next_page_token: page.nextPageToken };
  }

  @Get(':id')
  @ReadsFrom(CALL_HISTORY)
  @ApiOperation({ summary: 'Get a call; the ETag is its revision.' })
  @ApiResponse({ status: 200, type: CallView })
  get(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): CallView {
    const found = this.calls.byId(principal.customerId, id);
    if (!found) throw notFound('call.not_found', `call ${id} not found`, { callId: id });
    setRevisionHeaders(reply, found.revision);
    return callView(found.call, found.revision);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The call's events with their metadata, in order: its audit trail." })
  @ApiResponse({ status: 200, type: CallEventsView })
  auditTrail(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CallEventsView> {
    return this.events.of(principal.customerId, id);
  }
}

function views(page: CallPage): CallView[] {
  return page.records.map(({ call, revision }) => callView(call, revision));
}
