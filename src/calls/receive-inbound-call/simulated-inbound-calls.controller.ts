import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { notFound } from '../../domain/domain-error';
import { Idempotent } from '../../http/idempotent.decorator';
import { Roles } from '../../http/principal';
import { RequestMetadata } from '../../http/request-metadata';
import type { CallOutcome } from '../call-outcome';
import { respondWithCall } from '../call-response';
import { CallView } from '../call-view';
import { InboundCallRequest } from './inbound-call.request';
import { InboundCallSimulator } from './inbound-call-simulator';
import { ReceiveInboundCallCommand } from './receive-inbound-call.command';

export const SIMULATED_CALLER_ACTOR = 'media:simulated-caller';

/**
 * Simulated mode only: place a call to one of your numbers as if someone dialled it, so an application
 * can be tried without a phone network. The same use case as the media layer's `POST /v1/calls/inbound`.
 * In external mode the route answers 404, as if it did not exist: the real media layer places calls.
 */
@ApiTags('simulator')
@ApiBearerAuth()
@Roles('user')
@Idempotent()
@Controller('v1/simulator')
export class SimulatedInboundCallsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly simulator: InboundCallSimulator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('inbound-calls')
  @ApiOperation({ summary: 'Simulated mode: call one of your numbers (magic callers in the README).' })
  @ApiResponse({ status: 201, type: CallView, description: 'The incoming call, `ringing`.' })
  @ApiResponse({ status: 404, description: 'Not a number of yours, or the server is in external mode.' })
  async place(
    @Body() body: InboundCallRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    if (this.config.mediaGatewayMode === 'external')
      throw notFound('route.not_found', 'the simulator is off: the media gateway is external');
    const outcome: CallOutcome = await this.commands.execute(
      new ReceiveInboundCallCommand(
        { phoneNumber: body.number, from: body.from, callId: body.call_id },
        { ...metadata, actor: SIMULATED_CALLER_ACTOR },
      ),
    );
    const view = respondWithCall(outcome, reply);
    // A retry of the same call (same call_id) must not play the caller twice.
    if (outcome.events.length > 0)
      this.simulator.callerOf({ callId: view.id, customerId: view.customer_id }, body.from);
    reply.header('location', `/v1/calls/${view.id}`);
    return view;
  }
}
