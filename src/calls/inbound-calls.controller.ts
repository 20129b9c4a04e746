import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { Idempotent } from '../http/idempotent.decorator';
import { Roles } from '../http/principal';
import { RequestMetadata } from '../http/request-metadata';
import { parseIfMatch } from '../http/revision-headers';
import { UuidPipe } from '../http/uuid.pipe';
import { AnswerCallCommand } from './answer-call/answer-call.command';
import type { CallOutcome } from './call-outcome';
import { respondWithCall } from './call-response';
import { CallView } from './call-view';
import { InboundCallRequest } from './receive-inbound-call/inbound-call.request';
import { ReceiveInboundCallCommand } from './receive-inbound-call/receive-inbound-call.command';

/**
 * Incoming calls: the media layer reports one to a registered number (`media` key); the application
 * answers it (`user` key). Rejecting is `POST /v1/calls/:id/hangup` while ringing (reason `busy`).
 */
@ApiTags('calls')
@ApiBearerAuth()
@Idempotent()
@Controller('v1/calls')
export class InboundCallsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('inbound')
  @Roles('media')
  @ApiOperation({
    summary: "A call came in to one of the tenant's numbers (media layer); it rings the application.",
  })
  @ApiResponse({ status: 201, type: CallView, description: 'The incoming call, `ringing`.' })
  @ApiResponse({ status: 404, description: 'No number of this tenant is registered as `number`.' })
  async receive(
    @Body() body: InboundCallRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    const outcome: CallOutcome = await this.commands.execute(
      new ReceiveInboundCallCommand(
        { phoneNumber: body.number, from: body.from, callId: body.call_id },
        metadata,
      ),
    );
    const view = respondWithCall(outcome, reply);
    reply.header('location', `/v1/calls/${view.id}`);
    return view;
  }

  @Post(':id/answer')
  @HttpCode(200)
  @Roles('user')
  @ApiOperation({ summary: 'Answer a ringing incoming call; answering again returns it unchanged.' })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag of the call you saw: 412 if it changed.',
  })
  @ApiResponse({ status: 200, type: CallView })
  @ApiResponse({
    status: 409,
    description: 'Not an incoming call (`call.not_inbound`) or no longer ringing.',
  })
  async answer(
    @Param('id', new UuidPipe('id')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    const outcome: CallOutcome = await this.commands.execute(
      new AnswerCallCommand(id, metadata, parseIfMatch(ifMatch)),
    );
    return respondWithCall(outcome, reply);
  }
}
