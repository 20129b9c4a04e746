import { ApiProperty } from '@nestjs/swagger';
import { type Recording, recordingFileUrl } from './recording';

const NULLABLE_TIME = { type: String, nullable: true, format: 'date-time' } as const;

/** A recording as the API shows it (VoIPBIN's recording: reference, status, format, tm_start / tm_end). */
export class RecordingView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The tenant owning it.' }) customer_id!: string;
  @ApiProperty({ enum: ['call', 'conference'] }) reference_type!: string;
  @ApiProperty({ format: 'uuid', description: 'The recorded call or conference.' }) reference_id!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) call_id!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) conference_id!: string | null;
  @ApiProperty({
    enum: ['recording', 'stopping', 'finished'],
    description: '`finished`: the file can be downloaded from `url`.',
  })
  status!: string;
  @ApiProperty({ enum: ['wav'], description: 'PCM 16-bit mono WAV, 8 kHz.' }) format!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['requested', 'call_ended', 'conference_ended', 'media_ended'],
  })
  stop_reason!: string | null;
  @ApiProperty({ format: 'date-time' }) tm_start!: string;
  @ApiProperty({ ...NULLABLE_TIME, description: 'When it was asked to stop.' }) tm_stop_requested!:
    | string
    | null;
  @ApiProperty({ ...NULLABLE_TIME, description: 'End of the audio; null until finished.' })
  tm_end!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Seconds; null until finished.' })
  duration!: number | null;
  @ApiProperty({ description: 'The audio (`GET`, audio/wav); answers 404 until the recording is finished.' })
  url!: string;
  @ApiProperty({ type: String, nullable: true, description: "An external media layer's own file URL." })
  media_url!: string | null;
  @ApiProperty({ format: 'date-time' }) tm_update!: string;
  @ApiProperty({ description: 'Stream revision (the ETag).' }) revision!: string;
}

export class RecordingPage {
  @ApiProperty({ type: [RecordingView], description: 'Newest first.' }) result!: RecordingView[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; null on the last page.' })
  next_page_token!: string | null;
}

export function recordingViewOf(recording: Recording, revision: bigint): RecordingView {
  const call = recording.referenceType === 'call';
  return {
    id: recording.id,
    customer_id: recording.customerId,
    reference_type: recording.referenceType,
    reference_id: recording.referenceId,
    call_id: call ? recording.referenceId : null,
    conference_id: call ? null : recording.referenceId,
    status: recording.status,
    format: recording.format,
    stop_reason: recording.stopReason,
    tm_start: recording.tmStart,
    tm_stop_requested: recording.tmStopRequested,
    tm_end: recording.tmEnd,
    duration: recording.durationSec,
    url: recordingFileUrl(recording.id),
    media_url: recording.mediaUrl,
    tm_update: recording.tmUpdate,
    revision: revision.toString(),
  };
}
