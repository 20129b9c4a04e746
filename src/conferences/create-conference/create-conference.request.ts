import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { JsonObject } from '../../event-store/event-store';
import { ConferenceActionRequest } from '../conference-action.request';
import { MAX_CONFERENCE_PARTICIPANTS, MAX_CONFERENCE_TIMEOUT_SEC } from '../conference-limits';

/** Seed 004's create body (`type`, `name`, `detail`) plus the optional settings. */
export class CreateConferenceRequest {
  @ApiProperty({ enum: ['conference', 'connect'], example: 'conference' })
  @IsIn(['conference', 'connect'])
  type!: 'conference' | 'connect';

  @ApiPropertyOptional({ example: 'test conference' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'test conference for example' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  detail?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Reserved; stored as given.',
  })
  @IsOptional()
  @IsObject()
  data?: JsonObject;

  @ApiPropertyOptional({
    description: 'Seconds from creation until it ends by itself; 0 = never.',
    example: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CONFERENCE_TIMEOUT_SEC)
  timeout?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'null or absent = unlimited.',
    minimum: 1,
    maximum: MAX_CONFERENCE_PARTICIPANTS,
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(1)
  @Max(MAX_CONFERENCE_PARTICIPANTS)
  max_participants?: number | null;

  @ApiPropertyOptional({ type: [ConferenceActionRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ConferenceActionRequest)
  pre_actions?: ConferenceActionRequest[];

  @ApiPropertyOptional({ type: [ConferenceActionRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ConferenceActionRequest)
  post_actions?: ConferenceActionRequest[];
}
