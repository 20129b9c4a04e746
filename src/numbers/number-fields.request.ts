import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { JsonObject } from '../event-store/event-store';
import { ON_INCOMING, type OnIncoming } from './number';
import { MAX_RING_TIMEOUT_SEC } from './number.decider';
import { E164 } from './number-stream';

/**
 * Field rules shared by register (POST) and update (PATCH). Cross-field rules (a conference only for
 * `join_conference`, actions only for `answer`) are the decider's, so every transport gets them.
 */

/** `+1 (555) 123-4567` is `+15551234567`: spaces, dashes, dots and parentheses are presentation. */
export const normalisePhoneNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.replace(/[\s\-().]/g, '') : value;
export const E164_MESSAGE = '$property must be an E.164 number, e.g. +15551234567';

export class NumberActionRequest {
  @ApiProperty({ example: 'talk', description: 'Action type (call control interprets it).' })
  @IsString()
  @Length(1, 64)
  type!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { text: 'Welcome' } })
  @IsOptional()
  @IsObject()
  option?: JsonObject;
}

export const MAX_NUMBER_ACTIONS = 20;

/** What both POST and PATCH may set; all optional here (PATCH), POST adds the number itself. */
export class NumberRoutingRequest {
  @ApiPropertyOptional({ example: 'Front desk', description: 'Free label.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;

  @ApiPropertyOptional({ enum: ON_INCOMING, default: 'ring', description: 'What happens to a call to it.' })
  @IsOptional()
  @IsIn(ON_INCOMING)
  on_incoming?: OnIncoming;

  @ApiPropertyOptional({
    type: [NumberActionRequest],
    description: `For \`answer\`: actions run once answered, stored as given (at most ${MAX_NUMBER_ACTIONS}).`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_NUMBER_ACTIONS)
  @ValidateNested({ each: true })
  @Type(() => NumberActionRequest)
  actions?: NumberActionRequest[];

  @ApiPropertyOptional({ format: 'uuid', description: 'For `join_conference`: a conference of yours.' })
  @IsOptional()
  @IsUUID('all')
  conference_id?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RING_TIMEOUT_SEC, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RING_TIMEOUT_SEC)
  ring_timeout?: number;
}

export class RegisterNumberRequest extends NumberRoutingRequest {
  @ApiProperty({ example: '+31850835037', description: 'The number, E.164 (spaces and dashes ignored).' })
  @Transform(normalisePhoneNumber)
  @IsString()
  @Matches(E164, { message: E164_MESSAGE })
  phone_number!: string;
}

/** The request's routing as the decider takes it (absent stays absent: PATCH keeps what it does not name). */
export function routingInput(body: NumberRoutingRequest) {
  return {
    name: body.name,
    onIncoming: body.on_incoming,
    actions: body.actions?.map((action) => ({ type: action.type, option: action.option ?? {} })),
    conferenceId: body.conference_id?.toLowerCase(),
    ringTimeoutSec: body.ring_timeout,
  };
}
