import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { CloudEvent } from '../event-catalog/cloud-event';
import { unknownTypePatterns } from '../event-catalog/public-event-types';
import { OwnPageTokens } from '../http/page-token.interceptor';
import { DEFAULT_PAGE_SIZE } from '../http/pagination';
import { type AuthenticatedRequest, CurrentPrincipal, type Principal, Roles } from '../http/principal';
import { InputValidationError } from '../http/validation';
import { EventHub } from './event-hub';
import { EventReader } from './event-reader';
import type { FeedFilter } from './feed-filter';
import { ListEventsRequest, POSITION_PATTERN } from './list-events.request';
import { SseClient, type SseLimits } from './sse-client';

/** A polling page scans at most this many stored events, so a narrow filter answers in bounded time. */
const MAX_SCANNED_PER_PAGE = 5000;

/**
 * GET /v1/events: the tenant's public events, live as server-sent events (`Accept: text/event-stream`)
 * or as JSON pages for clients that poll. Both resume from a global position and never skip or repeat.
 */
@ApiTags('events')
@ApiBearerAuth()
@Roles('user', 'media')
@Controller('v1/events')
export class EventsController {
  private readonly limits: SseLimits;

  constructor(
    private readonly hub: EventHub,
    private readonly reader: EventReader,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limits = {
      heartbeatMs: config.eventFeedHeartbeatMs ?? 15_000,
      bookmarkMs: config.eventFeedBookmarkMs ?? 30_000,
      maxBufferedEvents: config.eventFeedMaxBufferedEvents ?? 1000,
      maxBufferedBytes: config.eventFeedMaxBufferedBytes ?? 1024 * 1024,
      retryMs: 2000,
    };
  }

  @Get()
  @OwnPageTokens()
  @ApiOperation({
    summary: 'The live event feed (SSE with Accept: text/event-stream), or a JSON page of events.',
  })
  @ApiProduces('text/event-stream', 'application/json')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'SSE resume position (as after).' })
  async events(
    @Query() query: ListEventsRequest,
    @Headers('accept') accept: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filter = this.filterOf(query, principal);
    await this.hub.start();
    const head = await this.reader.head();
    const [field, resumeFrom] =
      lastEventId !== undefined
        ? ['Last-Event-ID', lastEventId]
        : query.after !== undefined
          ? ['after', query.after]
          : ['page_token', query.page_token];
    const after = resumeFrom === undefined ? null : this.positionOf(resumeFrom, head, field);
    if (accept?.includes('text/event-stream')) {
      reply.hijack();
      const client = new SseClient(
        reply.raw,
        filter,
        principal.keyId,
        this.hub,
        this.reader,
        this.limits,
        after ?? this.hub.position,
      );
      request.raw.on('close', () => client.close());
      await client.start();
      return;
    }
    const page = await this.reader.read(
      filter,
      after ?? 0n,
      head,
      query.page_size ?? DEFAULT_PAGE_SIZE,
      MAX_SCANNED_PER_PAGE,
    );
    const result: CloudEvent[] = page.events.map((event) => event.cloudEvent);
    // Always a token: a feed has no last page; an empty result means "caught up, ask again later".
    reply.send({ result, next_page_token: page.lastPosition.toString() });
  }

  private filterOf(query: ListEventsRequest, principal: Principal): FeedFilter {
    const types = query.types?.split(',') ?? null;
    const unknown = types ? unknownTypePatterns(types) : [];
    if (unknown.length > 0) {
      throw new InputValidationError([
        { field: 'types', message: `unknown event types: ${unknown.join(', ')} (see GET /v1/event-types)` },
      ]);
    }
    return {
      customerId: principal.customerId,
      types,
      callId: query.call_id ?? null,
      conferenceId: query.conference_id ?? null,
    };
  }

  /** A position beyond the head was never issued by us: refusing it beats silently waiting for it. */
  private positionOf(value: string, head: bigint, field: string): bigint {
    if (!POSITION_PATTERN.test(value)) {
      throw new InputValidationError([{ field, message: 'must be a position: the decimal id of an event' }]);
    }
    const position = BigInt(value);
    if (position > head) {
      throw new InputValidationError([
        { field, message: `position ${value} is beyond the last event (${head})` },
      ]);
    }
    return position;
  }
}
