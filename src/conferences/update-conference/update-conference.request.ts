import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MAX_CONFERENCE_PARTICIPANTS, MAX_CONFERENCE_TIMEOUT_SEC } from '../conference-limits';

/** The updatable settings; absent fields keep their value. */
export class UpdateConferenceRequest {
  @ApiPropertyOptional({ example: 'weekly sync' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  detail?: string;

  @ApiPropertyOptional({
    description:
      'Seconds counted from creation (not from now); 0 cancels the timeout. A due time already past ends the conference at once.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CONFERENCE_TIMEOUT_SEC)
  timeout?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: MAX_CONFERENCE_PARTICIPANTS,
    description:
      'null lifts the limit. Lowering it below the current count kicks nobody; it refuses new joins.',
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(MAX_CONFERENCE_PARTICIPANTS)
  max_participants?: number | null;
}
