import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, isISO8601, Matches, Max, Min } from 'class-validator';
import { PageRequest, PageTokenRequest } from '../../http/pagination';
import { QueryInteger } from '../../http/query-integer';
import type { CallDirection, CallStatus, CallType, HangupReason } from '../call';
import { IsInstant, USER_ID_MESSAGE, USER_ID_PATTERN, WITH_ZONE } from '../call-fields.validators';

const STATUSES: CallStatus[] = ['dialing', 'ringing', 'progressing', 'terminating', 'canceling', 'hangup'];
const REASONS: HangupReason[] = [
  'normal',
  'failed',
  'busy',
  'cancel',
  'timeout',
  'noanswer',
  'dialout',
  'amd',
];
/** Valid instants are normalised so they compare as text with the stored `toISOString` times. */
const toIsoUtc = ({ value }: { value: unknown }) =>
  typeof value === 'string' && isISO8601(value, { strict: true }) && WITH_ZONE.test(value)
    ? new Date(Date.parse(value)).toISOString()
    : value;

/** GET /v1/calls: newest first, by (created, id); every filter is exact, the range is [after, before). */
export class ListCallsRequest extends PageRequest {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: CallStatus;

  @ApiPropertyOptional({ enum: ['outgoing', 'incoming'] })
  @IsOptional()
  @IsIn(['outgoing', 'incoming'])
  direction?: CallDirection;

  @ApiPropertyOptional({ enum: ['voice', 'video'] })
  @IsOptional()
  @IsIn(['voice', 'video'])
  type?: CallType;

  @ApiPropertyOptional({ example: 'jj084' })
  @IsOptional()
  @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE })
  contact_id?: string;

  @ApiPropertyOptional({ example: 'siap3943' })
  @IsOptional()
  @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE })
  user_id?: string;

  @ApiPropertyOptional({ enum: REASONS })
  @IsOptional()
  @IsIn(REASONS)
  hangup_reason?: HangupReason;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after this instant (inclusive).' })
  @IsOptional()
  @IsInstant()
  @Transform(toIsoUtc)
  created_after?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before this instant (exclusive).' })
  @IsOptional()
  @IsInstant()
  @Transform(toIsoUtc)
  created_before?: string;
}

/** GET /v1/calls/history (seed 000): the calls a user made or received, newest first. */
export class CallHistoryRequest extends PageTokenRequest {
  @ApiPropertyOptional({
    example: 'siap3943',
    description: 'Whose history: calls with this `user_id` or `contact_id`. Default: every call.',
  })
  @IsOptional()
  @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE })
  user_id?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Records per page.' })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
