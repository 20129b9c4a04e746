import { Body, Controller, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { Idempotent } from '../http/idempotent.decorator';
import { Roles } from '../http/principal';
import { RequestMetadata } from '../http/request-metadata';
import { parseIfMatch, setRevisionHeaders } from '../http/revision-headers';
import { UuidPipe } from '../http/uuid.pipe';
import { isCall } from './call';
import { CONTROL_SIGNALS, type ControlSignalKind } from './call-actions';
import { actionInput } from './call-actions/call-action.request';
import { ReportMediaEventCommand } from './call-actions/report-media-event.command';
import type { CallOutcome } from './call-outcome';
import { CallView, callView } from './call-view';
import { HangupCallCommand } from './hangup-call/hangup-call.command';
import { EndCallRequest } from './hangup-call/hangup-call.request';
import { MakeCallCommand } from './make-call/make-call.command';
import { MakeCallRequest } from './make-call/make-call.request';
import { ReportSignalCommand } from './report-signal/report-signal.command';
import { ReportSignalRequest } from './report-signal/report-signal.request';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag of the call you saw: 412 if it changed.',
};
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Replays the first response for 24 h; another body with the same key is a 422.',
};

/** The call's mutations. Each dispatches one command and answers with the call as it now is. */
@ApiTags('calls')
@ApiBearerAuth()
@ApiHeader(IDEMPOTENCY_KEY)
@Roles('user')
@Idempotent()
@Controller('v1/calls')
export class CallsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Make a call (seed 000 "Make a Call", VoIPBIN create call).' })
  @ApiResponse({ status: 201, type: CallView, description: 'Location and ETag headers name the new call.' })
  async make(
    @Body() body: MakeCallRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    const outcome: CallOutcome = await this.commands.execute(
      new MakeCallCommand(
        {
          callId: body.id,
          type: body.type,
          direction: body.direction,
          source: body.source && address(body.source),
          destination: body.destination && address(body.destination),
          contactId: body.contact_id,
          userId: body.user_id,
          masterCallId: body.master_call_id,
          metadata: body.metadata,
          dialTimeoutSec: body.dial_timeout,
          maxDurationSec: body.max_duration,
          // Call control: actions run once answered, AMD.
          actions: body.actions?.map(actionInput),
          amd: body.amd ? { onMachine: body.amd.on_machine } : null,
          // Per-call status callback (src/webhooks/call-callbacks)
          statusCallback: body.status_callback,
          statusCallbackEvents: body.status_callback_events,
          // --- seed 001 parties (issue 12 §6) ---
          agentId: body.agent_id,
          phoneId: body.phone_id,
          // --- end seed 001 parties ---
        },
        metadata,
      ),
    );
    const view = respond(outcome, reply);
    reply.header('location', `/v1/calls/${view.id}`);
    return view;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'End a call, optionally with its end time (seed 000 "End a Call").' })
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 200, type: CallView })
  end(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: EndCallRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    return this.hangup(id, body, ifMatch, metadata, reply);
  }

  @Post(':id/hangup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hang up a call (VoIPBIN); a second hangup returns the call unchanged.' })
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 200, type: CallView })
  async hangup(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: EndCallRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    const outcome: CallOutcome = await this.commands.execute(
      new HangupCallCommand(id, body?.end_time ?? null, metadata, parseIfMatch(ifMatch)),
    );
    return respond(outcome, reply);
  }

  @Post(':id/signals')
  @HttpCode(200)
  @Roles('media')
  @ApiOperation({
    summary: 'Report media progress on a call (external media layer; idempotent per signal_id).',
  })
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 200, type: CallView })
  async signal(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: ReportSignalRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CallView> {
    const signal = body.signal;
    // Call-control signals (action start/end, speech, AMD) have their own command.
    const command = isControlSignal(signal)
      ? new ReportMediaEventCommand(
          id,
          {
            signalId: body.signal_id,
            kind: signal,
            actionId: body.action_id ?? null,
            text: body.text ?? null,
            result: body.result ?? null,
            cause: body.cause ?? null,
          },
          metadata,
          parseIfMatch(ifMatch),
        )
      : new ReportSignalCommand(
          id,
          { signalId: body.signal_id, signal, cause: body.cause ?? null },
          metadata,
          parseIfMatch(ifMatch),
        );
    const outcome: CallOutcome = await this.commands.execute(command);
    return respond(outcome, reply);
  }
}

function respond(outcome: CallOutcome, reply: FastifyReply): CallView {
  // Every call command either throws or leaves an existing call behind.
  if (!isCall(outcome.state)) throw new Error('call command left no call');
  setRevisionHeaders(reply, outcome.revision);
  return callView(outcome.state, outcome.revision);
}

function isControlSignal(signal: string): signal is ControlSignalKind {
  return (CONTROL_SIGNALS as readonly string[]).includes(signal);
}

function address(input: NonNullable<MakeCallRequest['destination']>) {
  return {
    type: input.type,
    target: input.target,
    targetName: input.target_name,
    name: input.name,
    detail: input.detail,
  };
}
