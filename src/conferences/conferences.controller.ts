import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';

import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditTrail } from '../audit/audit-trail';
import { EventPage } from '../audit/event-view';
import { streamPointOf, TimeTravelRequest } from '../audit/time-travel.request';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { notFound } from '../domain/domain-error';
import { Idempotent } from '../http/idempotent.decorator';
import { DEFAULT_PAGE_SIZE } from '../http/pagination';
import { CurrentPrincipal, type Principal, Roles } from '../http/principal';
import { ReadsFrom } from '../http/reads-from.decorator';
import { RequestMetadata } from '../http/request-metadata';
import { parseIfMatch, setRevisionHeaders } from '../http/revision-headers';
import { UuidPipe } from '../http/uuid.pipe';
import { evolveConference, initialConferenceState } from './conference';
import { toConferenceAction } from './conference-action.request';
import type { ConferenceOutcome } from './conference-outcome';
import { conferenceStreamId } from './conference-stream';
import { ConferencePage, ConferenceView, conferenceViewOf } from './conference-view';
import { CONFERENCE_READ_MODELS } from './conferences-read-model/conference-read-models';
import { ConferencesQueries } from './conferences-read-model/conferences.queries';
import { ListConferencesRequest } from './conferences-read-model/list.request';
import { CreateConferenceCommand } from './create-conference/create-conference.command';
import { CreateConferenceRequest } from './create-conference/create-conference.request';
import { StopConferenceCommand } from './stop-conference/stop-conference.command';
import { UpdateConferenceCommand } from './update-conference/update-conference.command';
import { UpdateConferenceRequest } from './update-conference/update-conference.request';

const conferenceNotFound = (conferenceId: string) => () =>
  notFound('conference.not_found', `Conference ${conferenceId} not found`, { conferenceId });

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag last seen; a stale one answers 412.',
};

@ApiTags('conferences')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/conferences')
export class ConferencesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ConferencesQueries,
    private readonly audit: AuditTrail,
  ) {}

  @Idempotent()
  @Post()
  @ApiOperation({ summary: 'Create a conference (seed 004); it is progressing at once.' })
  @ApiCreatedResponse({ type: ConferenceView })
  async create(
    @Body() body: CreateConferenceRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConferenceView> {
    const result: ConferenceOutcome = await this.commands.execute(
      new CreateConferenceCommand(
        {
          conferenceType: body.type,
          name: body.name,
          detail: body.detail,
          data: body.data,
          timeout: body.timeout,
          maxParticipants: body.max_participants,
          preActions: body.pre_actions?.map(toConferenceAction),
          postActions: body.post_actions?.map(toConferenceAction),
        },
        metadata,
      ),
    );
    const view = this.answer(reply, result);
    reply.header('location', `/v1/conferences/${view.id}`);
    return view;
  }

  @Get()
  @ReadsFrom(...CONFERENCE_READ_MODELS)
  @ApiOperation({ summary: "The tenant's conferences, newest first; filter by status and type." })
  @ApiOkResponse({ type: ConferencePage })
  list(@Query() query: ListConferencesRequest, @CurrentPrincipal() principal: Principal): ConferencePage {
    return this.queries.conferences(principal.customerId, {
      status: query.status,
      type: query.type,
      pageSize: query.page_size ?? DEFAULT_PAGE_SIZE,
      pageToken: query.page_token,
    });
  }

  @Get(':id')
  @ReadsFrom(...CONFERENCE_READ_MODELS)
  @ApiOperation({
    summary: 'A conference with its current participants; with at_revision or as_of, as it was then.',
  })
  @ApiOkResponse({ type: ConferenceView })
  async get(
    @Param('id', new UuidPipe('id')) id: string,
    @Query() query: TimeTravelRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConferenceView> {
    const point = streamPointOf(query);
    const view = point ? await this.pastConference(principal.customerId, id, point) : undefined;
    const found = view ?? this.queries.conference(principal.customerId, id);
    if (!found) throw conferenceNotFound(id)();
    setRevisionHeaders(reply, BigInt(found.revision));
    return found;
  }

  @Idempotent()
  @Put(':id')
  @ApiOperation({ summary: 'Change name, detail, timeout (counted from creation) or max_participants.' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ConferenceView })
  async update(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: UpdateConferenceRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConferenceView> {
    const changes = {
      name: body.name,
      detail: body.detail,
      timeout: body.timeout,
      maxParticipants: body.max_participants,
    };
    const result: ConferenceOutcome = await this.commands.execute(
      new UpdateConferenceCommand(id, changes, metadata, parseIfMatch(ifMatch)),
    );
    return this.answer(reply, result);
  }

  @Idempotent()
  @Post(':id/stop')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stop: kicks every participant; terminated when the last has left (at once if empty).',
  })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ConferenceView })
  stop(
    @Param('id', new UuidPipe('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConferenceView> {
    return this.stopConference(id, ifMatch, metadata, reply);
  }

  @Idempotent()
  @Delete(':id')
  @ApiOperation({ summary: 'Same as POST /v1/conferences/:id/stop.' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: ConferenceView })
  delete(
    @Param('id', new UuidPipe('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConferenceView> {
    return this.stopConference(id, ifMatch, metadata, reply);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The conference's events, oldest first, from the event store (audit)." })
  @ApiOkResponse({ type: EventPage })
  async events(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EventPage> {
    const streamId = conferenceStreamId(id);
    return { result: await this.audit.events(principal.customerId, streamId, conferenceNotFound(id)) };
  }

  private async pastConference(
    customerId: string,
    id: string,
    point: NonNullable<ReturnType<typeof streamPointOf>>,
  ): Promise<ConferenceView> {
    const folder = { evolve: evolveConference, initialState: initialConferenceState };
    const past = await this.audit.stateAt(
      folder,
      customerId,
      conferenceStreamId(id),
      point,
      conferenceNotFound(id),
    );
    if (!past.state) throw conferenceNotFound(id)();
    return conferenceViewOf(past.state, past.revision);
  }

  private async stopConference(
    id: string,
    ifMatch: string | undefined,
    metadata: CommandMetadata,
    reply: FastifyReply,
  ): Promise<ConferenceView> {
    const result: ConferenceOutcome = await this.commands.execute(
      new StopConferenceCommand(id, metadata, parseIfMatch(ifMatch)),
    );
    return this.answer(reply, result);
  }

  /** Every conference command leaves an existing conference behind (or throws). */
  private answer(reply: FastifyReply, result: ConferenceOutcome): ConferenceView {
    setRevisionHeaders(reply, result.revision);
    return conferenceViewOf(result.state!, result.revision);
  }
}
