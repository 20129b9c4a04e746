import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import type { JsonObject } from '../../event-store/event-store';
import {
  CALL_EVENT_TYPES,
  DEFAULT_STATUS_CALLBACK_EVENTS,
  StatusCallbackEvents,
  StatusCallbackUrl,
} from '../../webhooks/call-callbacks/status-callback.validators';
import type { CallDirection, CallType } from '../call';
import { AmdRequest, CallActionRequest } from '../call-actions/call-action.request';
import { USER_ID_MESSAGE, USER_ID_PATTERN } from '../call-fields.validators';
import { CallAddressRequest } from './call-address.request';

/** Stored in every event and every read-model row of the call: keep it small. */
export const MAX_METADATA_BYTES = 4096;

@ValidatorConstraint({ name: 'maxJsonBytes' })
class MaxJsonBytes implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= (args.constraints[0] as number);
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be at most ${args.constraints[0]} bytes of JSON`;
  }
}

const lowerCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toLowerCase() : value;

/**
 * POST /v1/calls. Seed 000's `{"contact_id":"jj084","type":"voice"}` is a complete request; VoIPBIN
 * clients give `source`/`destination` instead. One of `contact_id` and `destination` is required.
 */
export class MakeCallRequest {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Client-chosen call id: repeating the same request with it returns the same call.',
  })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  id?: string;

  @ApiPropertyOptional({ example: 'jj084', description: 'User id of the contact to call (seed 000).' })
  // Required only without a destination; null counts as absent, as for every optional field.
  @ValidateIf((request: MakeCallRequest) => request.destination == null || request.contact_id != null)
  @IsString({ message: 'contact_id must be a string (contact_id or destination is required)' })
  @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE })
  contact_id?: string;

  @ApiPropertyOptional({ enum: ['voice', 'video'], default: 'voice', description: 'Media of the call.' })
  @IsOptional()
  @IsIn(['voice', 'video'])
  type?: CallType;

  @ApiPropertyOptional({ enum: ['outgoing', 'incoming'], default: 'outgoing' })
  @IsOptional()
  @IsIn(['outgoing', 'incoming'])
  direction?: CallDirection;

  @ApiPropertyOptional({ type: CallAddressRequest, description: 'Calling address; default agent <user_id>.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CallAddressRequest)
  source?: CallAddressRequest;

  @ApiPropertyOptional({
    type: CallAddressRequest,
    description: 'Called address; default agent <contact_id>.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CallAddressRequest)
  destination?: CallAddressRequest;

  @ApiPropertyOptional({ example: 'siap3943', description: 'The platform user placing the call.' })
  @IsOptional()
  @IsString()
  @Matches(USER_ID_PATTERN, { message: USER_ID_MESSAGE })
  user_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Master call: this call is hung up with it.' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  master_call_id?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `Free metadata, kept as given (at most ${MAX_METADATA_BYTES} bytes of JSON).`,
  })
  @IsOptional()
  @IsObject()
  @Validate(MaxJsonBytes, [MAX_METADATA_BYTES])
  metadata?: JsonObject;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 600,
    default: 60,
    description: 'Seconds to ring (then `dialout`).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  dial_timeout?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 86400,
    default: 3600,
    description: 'Maximum talk time in seconds (then `timeout`).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  max_duration?: number;

  // --- call control (`call-actions/`) ---
  @ApiPropertyOptional({
    type: [CallActionRequest],
    maxItems: 20,
    description: 'Actions run in order once the call is answered (VoIPBIN flow), e.g. a talk, then a hangup.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CallActionRequest)
  actions?: CallActionRequest[];

  @ApiPropertyOptional({
    type: AmdRequest,
    description: 'Answering-machine detection: actions wait for the verdict; a machine hangs up or goes on.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmdRequest)
  amd?: AmdRequest;
  // --- Per-call status callback (Twilio's StatusCallback; src/webhooks/call-callbacks) ---
  @ApiPropertyOptional({
    example: 'https://crm.example.com/calls/status',
    description:
      'URL that receives this call’s events, signed with the tenant’s callback secret ' +
      '(POST /v1/callback-secret/rotate).',
  })
  @IsOptional()
  @Validate(StatusCallbackUrl)
  status_callback?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['call.ringing', 'call.answered', 'call.hangup'],
    default: DEFAULT_STATUS_CALLBACK_EVENTS,
    description: `Which events go to status_callback: any of ${CALL_EVENT_TYPES.join(', ')}, or call.*.`,
  })
  @IsOptional()
  @Validate(StatusCallbackEvents)
  status_callback_events?: string[];
  // --- seed 001 parties (issue 12 §6) ---
  @ApiPropertyOptional({ format: 'uuid', description: 'The agent handling the call (seed 001 `agent_id`).' })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  agent_id?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The phone (number) the call is made from (seed 001 `phone_id`).',
  })
  @IsOptional()
  @Transform(lowerCase)
  @IsUUID()
  phone_id?: string;
  // --- end seed 001 parties ---
}
