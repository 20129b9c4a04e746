import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditTrail, EVERY_TENANT } from '../audit/audit-trail';
import { EventPage, eventView } from '../audit/event-view';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { notFound } from '../domain/domain-error';
import { Idempotent } from '../http/idempotent.decorator';
import { DEFAULT_PAGE_SIZE, PageRequest } from '../http/pagination';
import { CurrentPrincipal, type Principal, Roles } from '../http/principal';
import { ReadsFrom } from '../http/reads-from.decorator';
import { RequestMetadata } from '../http/request-metadata';
import { parseIfMatch, setRevisionHeaders } from '../http/revision-headers';
import { UuidPipe } from '../http/uuid.pipe';
import { isRegistered } from './number';
import { NumberRoutingRequest, RegisterNumberRequest, routingInput } from './number-fields.request';
import type { NumberOutcome } from './number-outcome';
import { numberStreamId } from './number-stream';
import { NumberView, numberView } from './number-view';
import { NUMBERS_READ_MODEL } from './numbers-read-model/numbers.projection';
import { NumbersQueries } from './numbers-read-model/numbers.queries';
import { RegisterNumberCommand } from './register-number/register-number.command';
import { ReleaseNumberCommand } from './release-number/release-number.command';
import { UpdateNumberCommand } from './update-number/update-number.command';

const numberNotFound = (numberId: string) =>
  notFound('number.not_found', `number ${numberId} not found`, { numberId });
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag of the number you saw: 412 if it changed.',
};

class NumberListView {
  @ApiProperty({ type: [NumberView], description: 'Newest first.' })
  result!: NumberView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `page_token`; null on the last page.' })
  next_page_token!: string | null;
}

/** Phone numbers (seed 002 Numbers): the write side through commands, reads from the numbers read model. */
@ApiTags('numbers')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/numbers')
export class NumbersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly numbers: NumbersQueries,
    private readonly audit: AuditTrail,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Register a phone number (E.164); a number someone holds is a 409.' })
  @ApiResponse({ status: 201, type: NumberView, description: 'Location and ETag name the registration.' })
  async register(
    @Body() body: RegisterNumberRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NumberView> {
    const outcome: NumberOutcome = await this.commands.execute(
      new RegisterNumberCommand(body.phone_number, routingInput(body), metadata),
    );
    const view = respond(outcome, reply);
    reply.header('location', `/v1/numbers/${view.id}`);
    return view;
  }

  @Get()
  @ReadsFrom(NUMBERS_READ_MODEL)
  @ApiOperation({ summary: 'List your numbers, newest first.' })
  @ApiResponse({ status: 200, type: NumberListView })
  list(@Query() query: PageRequest, @CurrentPrincipal() principal: Principal): NumberListView {
    return this.numbers.list(principal.customerId, query.page_size ?? DEFAULT_PAGE_SIZE, query.page_token);
  }

  @Get(':id')
  @ReadsFrom(NUMBERS_READ_MODEL)
  @ApiOperation({ summary: 'Get a number; the ETag is its revision.' })
  @ApiResponse({ status: 200, type: NumberView })
  get(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): NumberView {
    const found = this.numbers.byId(principal.customerId, id);
    if (!found) throw numberNotFound(id);
    setRevisionHeaders(reply, found.revision);
    return numberView(found.number, found.revision);
  }

  @Get(':id/events')
  @ReadsFrom(NUMBERS_READ_MODEL)
  @ApiOperation({ summary: "The registration's events with their metadata: its audit trail." })
  @ApiResponse({ status: 200, type: EventPage })
  async auditTrail(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EventPage> {
    const found = this.numbers.byId(principal.customerId, id);
    if (!found) throw numberNotFound(id);
    // A number's stream holds every registration it ever had, other tenants' included: show this one only.
    const recorded = (await this.audit.read(numberStreamId(found.number.phoneNumber), EVERY_TENANT)) ?? [];
    const mine = recorded.filter(
      (event) => event.data.numberId === id && event.metadata.customer_id === principal.customerId,
    );
    return { result: mine.map(eventView) };
  }

  @Patch(':id')
  @Idempotent()
  @ApiOperation({ summary: 'Change what happens to calls to the number; fields not given are kept.' })
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 200, type: NumberView })
  async update(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: NumberRoutingRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NumberView> {
    const outcome: NumberOutcome = await this.commands.execute(
      new UpdateNumberCommand(id, routingInput(body ?? {}), metadata, parseIfMatch(ifMatch)),
    );
    return respond(outcome, reply);
  }

  @Delete(':id')
  @Idempotent()
  @HttpCode(204)
  @ApiOperation({ summary: 'Release the number: calls to it are refused, anyone may register it again.' })
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 204 })
  async release(
    @Param('id', new UuidPipe('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
  ): Promise<void> {
    await this.commands.execute(new ReleaseNumberCommand(id, metadata, parseIfMatch(ifMatch)));
  }
}

function respond(outcome: NumberOutcome, reply: FastifyReply): NumberView {
  // Register and update either throw or leave the registration behind.
  if (!isRegistered(outcome.state)) throw new Error('number command left no registration');
  setRevisionHeaders(reply, outcome.revision);
  return numberView(outcome.state, outcome.revision);
}
