import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_CONFERENCE_TIMEOUT_SEC } from '../../conferences/conference-limits';
import { PageRequest } from '../../http/pagination';
import { RECORDING_FORMATS, type RecordingFormat } from '../recording-slot';

/** A bound for the number (a 1e300 duration became 1.7e298 recording minutes of usage): 30 days, far beyond any call. */
const MAX_RECORDING_DURATION_SEC = MAX_CONFERENCE_TIMEOUT_SEC;

/** POST /v1/calls/:id/recording/start and /v1/conferences/:id/recording/start; the body is optional. */
export class StartRecordingRequest {
  @ApiPropertyOptional({ enum: RECORDING_FORMATS, default: 'wav' })
  @IsOptional()
  @IsIn(RECORDING_FORMATS)
  format?: RecordingFormat;
}

export class ListRecordingsRequest extends PageRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the recordings of this call.' })
  @IsOptional()
  @IsUUID('all')
  call_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the recordings of this conference.' })
  @IsOptional()
  @IsUUID('all')
  conference_id?: string;
}

/** POST /v1/recordings/:id/signals: an external media layer reports that a recording's file exists. */
export class ReportRecordingSignalRequest {
  @ApiProperty({
    example: 'rec-42/finished',
    description: 'Unique per report; a redelivery changes nothing.',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9._:/-]{1,128}$/, { message: 'signal_id must be 1 to 128 letters, digits or ._:/-' })
  signal_id!: string;

  @ApiProperty({ enum: ['finished'] })
  @IsIn(['finished'])
  signal!: 'finished';

  @ApiProperty({ example: 'https://media.example.com/rec/42.wav', description: 'Where the file is.' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  url!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the audio; default: the stop request.' })
  @IsOptional()
  @IsDateString({ strict: true })
  tm_end?: string;

  @ApiPropertyOptional({
    description: 'Seconds; default: from the start to tm_end.',
    maximum: MAX_RECORDING_DURATION_SEC,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_RECORDING_DURATION_SEC)
  duration?: number;
}
