import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { notFound } from '../../domain/domain-error';
import { CurrentPrincipal, type Principal, Roles } from '../../http/principal';
import { ReadsFrom } from '../../http/reads-from.decorator';
import { setRevisionHeaders } from '../../http/revision-headers';
import { UuidPipe } from '../../http/uuid.pipe';
import { CallHistory } from '../call-history/call-history';
import { CALL_HISTORY } from '../call-history/call-history.projection';
import { callView } from '../call-view';
import { SeedCallDocument, seedCallDocument } from './seed-call-document';

/**
 * Seed 001's path, singular `call`: the same call as GET /v1/calls/{id}, in seed 001's document. Same
 * read model, same tenant rule (a foreign id is the same 404 as an unknown one), same read-your-writes.
 */
@ApiTags('calls')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/call')
export class SeedCallController {
  constructor(private readonly calls: CallHistory) {}

  @Get(':id')
  @ReadsFrom(CALL_HISTORY)
  @ApiOperation({ summary: 'Get a call as seed 001 shows it (status in_progress, completed, ...).' })
  @ApiResponse({ status: 200, type: SeedCallDocument })
  get(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): SeedCallDocument {
    const found = this.calls.byId(principal.customerId, id);
    if (!found) throw notFound('call.not_found', `call ${id} not found`, { callId: id });
    setRevisionHeaders(reply, found.revision);
    return seedCallDocument(callView(found.call, found.revision));
  }
}
