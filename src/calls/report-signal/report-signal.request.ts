import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CALL_SIGNALS, type CallSignal } from '../call';

/** POST /v1/calls/:id/signals: what an external media layer observed on a call leg. */
export class ReportSignalRequest {
  @ApiProperty({
    example: 'leg-42/answered/1',
    description: 'Unique per signal; redelivering a signal with the same id changes nothing.',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9._:/-]{1,128}$/, { message: 'signal_id must be 1 to 128 letters, digits or ._:/-' })
  signal_id!: string;

  @ApiProperty({ enum: CALL_SIGNALS })
  @IsIn(CALL_SIGNALS)
  signal!: CallSignal;

  @ApiPropertyOptional({ example: 'NORMAL_CLEARING', description: 'Q.850 cause, SIP code or free text.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  cause?: string;
}
