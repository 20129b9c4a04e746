import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuditTrail } from '../../audit/audit-trail';
import { EventPage } from '../../audit/event-view';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { notFound } from '../../domain/domain-error';
import { Idempotent } from '../../http/idempotent.decorator';
import { DEFAULT_PAGE_SIZE } from '../../http/pagination';
import { CurrentPrincipal, type Principal, Roles } from '../../http/principal';
import { ReadsFrom } from '../../http/reads-from.decorator';
import { RequestMetadata } from '../../http/request-metadata';
import { setRevisionHeaders } from '../../http/revision-headers';
import { UuidPipe } from '../../http/uuid.pipe';
import { InputValidationError } from '../../http/validation';
import { ReportRecordingSignalCommand } from '../commands/recording.commands';
import { RECORDING_FILES, type RecordingFiles } from '../files/recording-files';
import { RECORDINGS_PROJECTION } from '../read-model/recordings.projection';
import { RecordingsQueries } from '../read-model/recordings.queries';
import type { RecordingOutcome } from '../recording-process';
import { recordingStreamId } from '../recording-stream';
import { RecordingPage, RecordingView, recordingViewOf } from '../recording-view';
import { ListRecordingsRequest, ReportRecordingSignalRequest } from './recording.requests';

const recordingNotFound = (recordingId: string) => () =>
  notFound('recording.not_found', `recording ${recordingId} not found`, { recordingId });

/** Reads of recordings (the `recordings` read model; the audit trail is the stream) and the media report. */
@ApiTags('recordings')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/recordings')
export class RecordingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: RecordingsQueries,
    private readonly audit: AuditTrail,
    @Inject(RECORDING_FILES) private readonly files: RecordingFiles,
  ) {}

  @Get()
  @ReadsFrom(RECORDINGS_PROJECTION)
  @ApiOperation({ summary: "The tenant's recordings, newest first; filter by call_id or conference_id." })
  @ApiOkResponse({ type: RecordingPage })
  list(@Query() query: ListRecordingsRequest, @CurrentPrincipal() principal: Principal): RecordingPage {
    if (query.call_id !== undefined && query.conference_id !== undefined)
      throw new InputValidationError([
        { field: 'conference_id', message: 'give call_id or conference_id, not both' },
      ]);
    const reference =
      query.call_id !== undefined
        ? { kind: 'call' as const, id: query.call_id }
        : query.conference_id !== undefined
          ? { kind: 'conference' as const, id: query.conference_id }
          : undefined;
    return this.queries.recordings(principal.customerId, {
      reference,
      pageSize: query.page_size ?? DEFAULT_PAGE_SIZE,
      pageToken: query.page_token,
    });
  }

  @Get(':id')
  @ReadsFrom(RECORDINGS_PROJECTION)
  @ApiOperation({ summary: 'A recording: its call or conference, start, end, duration, format and url.' })
  @ApiOkResponse({ type: RecordingView })
  get(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): RecordingView {
    const found = this.queries.recording(principal.customerId, id);
    if (!found) throw recordingNotFound(id)();
    setRevisionHeaders(reply, found.revision);
    return recordingViewOf(found.recording, found.revision);
  }

  @Get(':id/file')
  @ReadsFrom(RECORDINGS_PROJECTION)
  @ApiOperation({
    summary: "The recording's audio (audio/wav); 404 until it is finished. An external file answers 302.",
  })
  @ApiProduces('audio/wav')
  @ApiResponse({ status: 200, description: 'PCM 16-bit mono WAV.' })
  async file(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const found = this.queries.recording(principal.customerId, id);
    if (!found) throw recordingNotFound(id)();
    const { recording } = found;
    if (recording.status !== 'finished')
      throw notFound('recording.file_not_ready', `recording ${id} is ${recording.status}: no file yet`, {
        recordingId: id,
        status: recording.status,
      });
    if (recording.mediaUrl !== null) {
      await reply.redirect(recording.mediaUrl, 302);
      return;
    }
    const audio = await this.files.read(id);
    if (audio === null)
      throw notFound('recording.file_missing', `the file of recording ${id} is not kept here`, {
        recordingId: id,
      });
    await reply
      .header('content-type', 'audio/wav')
      .header('content-disposition', `attachment; filename="${id}.wav"`)
      .send(audio);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The recording's events with their metadata, in order: its audit trail." })
  @ApiOkResponse({ type: EventPage })
  async events(
    @Param('id', new UuidPipe('id')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EventPage> {
    return {
      result: await this.audit.events(principal.customerId, recordingStreamId(id), recordingNotFound(id)),
    };
  }

  @Idempotent()
  @Post(':id/signals')
  @HttpCode(200)
  @Roles('media')
  @ApiOperation({ summary: 'An external media layer reports a finished recording and its file URL.' })
  @ApiOkResponse({ type: RecordingView })
  async signal(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: ReportRecordingSignalRequest,
    @RequestMetadata() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordingView> {
    const outcome: RecordingOutcome = await this.commands.execute(
      new ReportRecordingSignalCommand(
        id,
        {
          signalId: body.signal_id,
          signal: body.signal,
          tmEnd: body.tm_end ?? null,
          durationSec: body.duration ?? null,
          mediaUrl: body.url,
        },
        metadata,
      ),
    );
    if (outcome.state === null) throw recordingNotFound(id)();
    setRevisionHeaders(reply, outcome.revision);
    return recordingViewOf(outcome.state, outcome.revision);
  }
}
