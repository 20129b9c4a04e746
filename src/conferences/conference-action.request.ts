import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { JsonObject } from '../event-store/event-store';
import type { ConferenceAction } from './conference';

/**
 * A flow action (seed 004 `pre_actions` / `post_actions`). Switchboard does not run actions: it stores them
 * and hands them to the media gateway, so only the envelope is checked and `option` is kept as given.
 */
export class ConferenceActionRequest {
  @ApiPropertyOptional({ format: 'uuid', example: '00000000-0000-0000-0000-000000000000' })
  @IsOptional()
  @IsUUID('all')
  id?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '00000000-0000-0000-0000-000000000000' })
  @IsOptional()
  @IsUUID('all')
  next_id?: string;

  @ApiProperty({ example: 'talk' })
  @IsString()
  @Length(1, 100)
  type!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { text: 'Hello. Welcome to the test conference.', gender: 'female', language: 'en-US' },
  })
  @IsOptional()
  @IsObject()
  option?: JsonObject;
}

/** The stored form: only the fields the client sent, in the seed's snake_case. */
export function toConferenceAction(action: ConferenceActionRequest): ConferenceAction {
  const stored: ConferenceAction = { type: action.type };
  if (action.id !== undefined) stored.id = action.id;
  if (action.next_id !== undefined) stored.next_id = action.next_id;
  if (action.option !== undefined) stored.option = action.option;
  return stored;
}
