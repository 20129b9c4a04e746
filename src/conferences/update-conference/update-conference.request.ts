import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min, ValidateIf } from 'class-validator';

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
  timeout?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    description:
      'null lifts the limit. Lowering it below the current count kicks nobody; it refuses new joins.',
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  max_participants?: number | null;
}
