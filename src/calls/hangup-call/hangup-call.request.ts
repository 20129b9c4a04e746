import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../call-fields.validators';

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
