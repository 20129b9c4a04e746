import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

/**
 * An ISO-8601 date-time WITH its offset (`Z` or `+07:00`): without one, the instant would depend on the
 * server's time zone.
 */
export const WITH_ZONE = /T.*(Z|[+-]\d{2}:?\d{2})$/;

export const IsInstant = () =>
  applyDecorators(
    IsISO8601({ strict: true, strictSeparator: true }),
    Matches(WITH_ZONE, {
      message: '$property must be a date-time with a time zone (e.g. Z)',
    }),
  );

/**
 * PATCH /v1/calls/:id (seed 000 "End a Call") and POST /v1/calls/:id/hangup (VoIPBIN). Without `end_time`
 * the call ends now; with it, the client's own end time is kept (before the start or in the future: 422).
 */
export class EndCallRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2023-08-21T08:10:00Z',
    description: 'When the call ended, ISO-8601 with a time zone.',
  })
  @IsOptional()
  @IsInstant()
  end_time?: string;
}
