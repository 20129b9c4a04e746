import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** POST /v1/conferencecalls/:id/signals: what an external media layer observed on a participant's call. */
export class ReportConferenceSignalRequest {
  @ApiProperty({
    example: 'bridge-7/joined/1',
    description:
      "The media layer's id of the report, for its logs. Repeats are absorbed by status, not by id.",
  })
  @IsString()
  @Matches(/^[A-Za-z0-9._:/-]{1,128}$/, { message: 'signal_id must be 1 to 128 letters, digits or ._:/-' })
  signal_id!: string;

  @ApiProperty({ enum: ['joined', 'left'] })
  @IsIn(['joined', 'left'])
  signal!: 'joined' | 'left';

  @ApiPropertyOptional({ example: 'NORMAL_CLEARING', description: 'Free text, informational.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  cause?: string;
}
