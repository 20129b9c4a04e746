import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../http/pagination';

export const POSITION_PATTERN = /^\d{1,20}$/;

const lowerCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toLowerCase() : value;

/** GET /v1/events: the same filters for the live stream and the JSON page. */
export class ListEventsRequest {
  @ApiPropertyOptional({
    example: '1234',
    description: 'Resume after this global position (an `id:` or `sequence` you received); default: now.',
  })
  @IsOptional()
  @Matches(POSITION_PATTERN, { message: 'after must be a position: the decimal id of an event' })
  after?: string;

  @ApiPropertyOptional({
    description: 'JSON page: the `next_page_token` of the previous page (same as after).',
  })
  @IsOptional()
  @Matches(POSITION_PATTERN, { message: 'page_token is not a token returned by this API' })
  page_token?: string;

  @ApiPropertyOptional({
    example: 'call.*,conference.terminated',
    description: 'Comma-separated types or prefix.*',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z*][a-z_.*]*(,[a-z*][a-z_.*]*)*$/, { message: 'types must be comma-separated event types' })
  types?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only events of this call (and its participations).' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  call_id?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only events of this conference and its participants.',
  })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  conference_id?: string;

  @ApiPropertyOptional({ default: DEFAULT_PAGE_SIZE, maximum: MAX_PAGE_SIZE, description: 'JSON page only.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size?: number;
}
