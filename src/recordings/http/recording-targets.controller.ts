import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { Idempotent } from '../../http/idempotent.decorator';
import { Roles } from '../../http/principal';
import { RequestMetadata } from '../../http/request-metadata';
import { setRevisionHeaders } from '../../http/revision-headers';
import { UuidPipe } from '../../http/uuid.pipe';
import { StartRecordingCommand, StopRecordingCommand } from '../commands/recording.commands';
import type { RecordingOutcome } from '../recording-process';
import type { RecordingTarget, RecordingTargetKind } from '../recording-slot';
import { RecordingView, recordingViewOf } from '../recording-view';
import { StartRecordingRequest } from './recording.requests';

/**
 * Start and stop recording a call or a conference. Start answers 201 with the new recording (Location
 * `/v1/recordings/<id>`); stop answers 200 with the recording it stopped (`stopping`, then `finished` once
 * the media layer has the file). 409 names the rule: not answered, ending, already recording, not recording.
 */
@ApiTags('recordings')
@ApiBearerAuth()
@Roles('user')
@Idempotent()
@Controller('v1')
export class RecordingTargetsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('calls/:id/recording/start')
  @ApiOperation({ summary: 'Start recording an answered call (one recording at a time).' })
  @ApiResponse({ status: 201, type: RecordingView })
  startCall(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: StartRecordingRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordingView> {
    return this.start('call', id, body, metadata, reply);
  }

  @Post('calls/:id/recording/stop')
  @HttpCode(200)
  @ApiOperation({ summary: "Stop the call's running recording." })
  @ApiResponse({ status: 200, type: RecordingView })
  stopCall(
    @Param('id', new UuidPipe('id')) id: string,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordingView> {
    return this.stop({ kind: 'call', id }, metadata, reply);
  }

  @Post('conferences/:id/recording/start')
  @ApiOperation({ summary: 'Start recording a progressing conference (one recording at a time).' })
  @ApiResponse({ status: 201, type: RecordingView })
  startConference(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: StartRecordingRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordingView> {
    return this.start('conference', id, body, metadata, reply);
  }

  @Post('conferences/:id/recording/stop')
  @HttpCode(200)
  @ApiOperation({ summary: "Stop the conference's running recording." })
  @ApiResponse({ status: 200, type: RecordingView })
  stopConference(
    @Param('id', new UuidPipe('id')) id: string,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordingView> {
    return this.stop({ kind: 'conference', id }, metadata, reply);
  }

  private async start(
    kind: RecordingTargetKind,
    id: string,
    body: StartRecordingRequest | undefined,
    metadata: CommandMetadata,
    reply: FastifyReply,
  ): Promise<RecordingView> {
    const outcome: RecordingOutcome = await this.commands.execute(
      new StartRecordingCommand({ target: { kind, id }, format: body?.format }, metadata),
    );
    const view = respond(outcome, reply);
    reply.header('location', `/v1/recordings/${view.id}`);
    return view;
  }

  private async stop(target: RecordingTarget, metadata: CommandMetadata, reply: FastifyReply) {
    const outcome: RecordingOutcome = await this.commands.execute(
      new StopRecordingCommand({ target }, metadata),
    );
    return respond(outcome, reply);
  }
}

function respond(outcome: RecordingOutcome, reply: FastifyReply): RecordingView {
  if (outcome.state === null) throw new Error('recording command left no recording');
  setRevisionHeaders(reply, outcome.revision);
  return recordingViewOf(outcome.state, outcome.revision);
}
