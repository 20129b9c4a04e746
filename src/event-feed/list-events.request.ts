import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageRequest } from '../http/pagination';

export const POSITION_PATTERN = /^\d{1,20}$/;

const lowerCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toLowerCase() : value;

/**
 * GET /v1/events: the same filters for the live stream and the JSON page. `page_token` (JSON pages) is a
 * position like `after`, checked by the controller; `page_size` only applies to JSON pages.
 */
export class ListEventsRequest extends PageRequest {
  @ApiPropertyOptional({
    example: '1234',
    description: 'Resume after this global position (an `id:` or `sequence` you received); default: now.',
  })
  @IsOptional()
  @Matches(POSITION_PATTERN, { message: 'after must be a position: the decimal id of an event' })
  after?: string;

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
}
