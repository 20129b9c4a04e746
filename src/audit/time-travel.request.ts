import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { QueryInteger } from '../http/query-integer';
import { InputValidationError } from '../http/validation';
import type { StreamPoint } from './stream-point';

/**
 * `?at_revision=N` or `?as_of=<ISO time>` on GET of one aggregate: its state as it was then, folded from
 * its stream. A revision the stream has not reached, or a time before it began, answers 404 like an
 * unknown id (that state never existed); a malformed value, or both at once, answers 400.
 */
export class TimeTravelRequest {
  @ApiPropertyOptional({ type: Number, minimum: 0, example: 2, description: 'State after this revision.' })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  at_revision?: number;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-01T10:00:00.000Z',
    description: 'State as it was at this time (events committed until then), with a time zone.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  // Without a zone the instant would depend on the server's time zone.
  @Matches(/(Z|[+-]\d{2}:?\d{2})$/, { message: '$property must end with Z or an offset' })
  as_of?: string;
}

/** The point asked for, or null when the request asks for the current state. */
export function streamPointOf(query: TimeTravelRequest): StreamPoint | null {
  if (query.at_revision !== undefined && query.as_of !== undefined)
    throw new InputValidationError([{ field: 'as_of', message: 'give at_revision or as_of, not both' }]);
  if (query.at_revision !== undefined) return { revision: BigInt(query.at_revision) };
  if (query.as_of !== undefined) return { time: new Date(query.as_of) };
  return null;
}
