import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { Idempotent } from '../../http/idempotent.decorator';
import { Roles } from '../../http/principal';
import { RequestMetadata } from '../../http/request-metadata';
import { parseIfMatch, setRevisionHeaders } from '../../http/revision-headers';
import { UuidPipe } from '../../http/uuid.pipe';
import { isCall } from '../call';
import type { CallOutcome } from '../call-outcome';
import { CallView, callView } from '../call-view';
import { actionInput, CallActionRequest } from './call-action.request';
import { QueueCallActionsCommand } from './queue-call-actions.command';

/**
 * Call control (seed 002 "Send control command to active call", VoIPBIN actions). `actions` rather than
 * seed 002's `control`: what is posted is one of the call's actions, the same objects POST /v1/calls takes
 * in `actions` and the view shows as `action`, so one noun names them everywhere.
 */
@ApiTags('calls')
@ApiBearerAuth()
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'Replays the first response for 24 h; another body with the same key is a 422.',
})
@Roles('user')
@Idempotent()
@Controller('v1/calls')
export class CallActionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/actions')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Run an action on an answered call: talk (say), play, transfer, hangup, inject_context. It starts at ' +
      'once when nothing runs, else waits its turn; 409 on a call not answered, ending or transferred.',
  })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag of the call you saw: 412 if it changed.',
  })
  @ApiResponse({ status: 200, type: CallView, description: 'The call: `action` or `queued_actions` has it.' })
  async queue(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: CallActionRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    const outcome: CallOutcome = await this.commands.execute(
      new QueueCallActionsCommand(id, [actionInput(body)], metadata, parseIfMatch(ifMatch)),
    );
    if (!isCall(outcome.state)) throw new Error('call command left no call');
    setRevisionHeaders(reply, outcome.revision);
    return callView(outcome.state, outcome.revision);
  }
}
