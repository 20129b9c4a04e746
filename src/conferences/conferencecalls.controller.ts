import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
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
import type { CommandMetadata } from '../command-handling/command-metadata';
import { notFound } from '../domain/domain-error';
import { Idempotent } from '../http/idempotent.decorator';
import { DEFAULT_PAGE_SIZE } from '../http/pagination';
import { CurrentPrincipal, type Principal, Roles } from '../http/principal';
import { ReadsFrom } from '../http/reads-from.decorator';
import { RequestMetadata } from '../http/request-metadata';
import { parseIfMatch, setRevisionHeaders } from '../http/revision-headers';
import { UuidPipe } from '../http/uuid.pipe';
import type { ConferencecallOutcome } from './conference-outcome';
import { ReportConferenceSignalCommand } from './conference-signals/report-conference-signal.command';
import { ReportConferenceSignalRequest } from './conference-signals/report-conference-signal.request';
import { ConferencecallPage, ConferencecallView, conferencecallViewOf } from './conference-view';
import { CONFERENCE_READ_MODELS } from './conferences-read-model/conference-read-models';
import { ConferencecallsQueries } from './conferences-read-model/conferencecalls.queries';
import { ListConferencecallsRequest } from './conferences-read-model/list.request';
import { JoinConferenceCommand } from './join-conference/join-conference.command';
import { JoinConferenceRequest } from './join-conference/join-conference.request';
import { KickConferencecallCommand } from './kick-conferencecall/kick-conferencecall.command';

@ApiTags('conferencecalls')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/conferencecalls')
export class ConferencecallsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: ConferencecallsQueries,
  ) {}

  @Idempotent()
  @Post()
  @ApiOperation({
    summary: 'Join an answered call to a progressing conference (status joining, then joined).',
    description:
      '409 names the refused rule in `code`: call.not_answered, call.ending, call.already_in_conference, ' +
      'conference.not_accepting_joins, conference.full, conference.call_already_participant.',
  })
  @ApiCreatedResponse({ type: ConferencecallView })
  async join(
    @Body() body: JoinConferenceRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConferencecallView> {
    const input = {
      conferenceId: body.conference_id,
      referenceType: body.reference_type,
      referenceId: body.reference_id,
    };
    const outcome: ConferencecallOutcome = await this.commands.execute(
      new JoinConferenceCommand(input, metadata),
    );
    const view = answer(reply, outcome);
    reply.header('location', `/v1/conferencecalls/${view.id}`);
    return view;
  }

  @Get()
  @ReadsFrom(...CONFERENCE_READ_MODELS)
  @ApiOperation({ summary: "The tenant's participants, newest first; filter by conference_id and status." })
  @ApiOkResponse({ type: ConferencecallPage })
  list(
    @Query() query: ListConferencecallsRequest,
    @CurrentPrincipal() principal: Principal,
  ): ConferencecallPage {
    return this.queries.conferencecalls(principal.customerId, {
      conferenceId: query.conference_id,
      status: query.status,
      pageSize: query.page_size ?? DEFAULT_PAGE_SIZE,
      pageToken: query.page_token,
    });
  }

  @Get(':id')
  @ReadsFrom(...CONFERENCE_READ_MODELS)
  @ApiOperation({ summary: 'A participant (seed 004 conferencecall).' })
  @ApiOkResponse({ type: ConferencecallView })
  get(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): ConferencecallView {
    const view = this.queries.conferencecall(principal.customerId, id);
    if (!view)
      throw notFound('conferencecall.not_found', `Conferencecall ${id} not found`, { conferencecallId: id });
    setRevisionHeaders(reply, BigInt(view.revision));
    return view;
  }

  @Idempotent()
  @Delete(':id')
  @ApiOperation({
    summary: 'Kick: joining/joined → leaving (→ leaved when the media gateway confirms).',
    description: 'Kicking a participant that is already leaving or leaved changes nothing and returns it.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag last seen; a stale one answers 412.',
  })
  @ApiOkResponse({ type: ConferencecallView })
  async kick(
    @Param('id', new UuidPipe('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConferencecallView> {
    const outcome: ConferencecallOutcome = await this.commands.execute(
      new KickConferencecallCommand(id, metadata, parseIfMatch(ifMatch)),
    );
    return answer(reply, outcome);
  }

  @Idempotent()
  @Post(':id/signals')
  @HttpCode(200)
  @Roles('media')
  @ApiOperation({
    summary: 'Report that the call is in (joined) or out of (left) the bridge (external media layer).',
    description: 'Late or repeated reports change nothing: a participant never moves back.',
  })
  @ApiOkResponse({ type: ConferencecallView })
  async signal(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: ReportConferenceSignalRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConferencecallView> {
    const outcome: ConferencecallOutcome = await this.commands.execute(
      new ReportConferenceSignalCommand(id, body.signal, metadata),
    );
    return answer(reply, outcome);
  }
}

/** Every participant command leaves an existing participant behind (or throws). */
function answer(reply: FastifyReply, outcome: ConferencecallOutcome): ConferencecallView {
  setRevisionHeaders(reply, outcome.revision);
  return conferencecallViewOf(outcome.state!, outcome.revision);
}
