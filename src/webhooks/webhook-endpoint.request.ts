import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

const TYPE_PATTERN = /^([a-z]+(\.[a-z_]+)?\.\*|[a-z]+\.[a-z_]+|\*)$/;

/** POST /v1/webhook-endpoints. */
export class CreateWebhookEndpointRequest {
  @ApiProperty({ example: 'https://crm.example.com/hooks/switchboard', description: 'http or https URL.' })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['call.*', 'conference.terminated'],
    description: 'Types or prefix.* patterns from GET /v1/event-types; default every type.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(TYPE_PATTERN, { each: true, message: 'each event type must look like call.hangup or call.*' })
  event_types?: string[];

  @ApiPropertyOptional({ example: 'CRM sync' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** PATCH /v1/webhook-endpoints/:id: the fields to change. `event_types: null` means every type again. */
export class UpdateWebhookEndpointRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ type: [String], nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(TYPE_PATTERN, { each: true, message: 'each event type must look like call.hangup or call.*' })
  event_types?: string[] | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

/** POST /v1/webhook-endpoints/:id/recover. */
export class RecoverDeliveriesRequest {
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z', description: 'Re-send deliveries created since then.' })
  @IsISO8601({ strict: true })
  since!: string;
}
