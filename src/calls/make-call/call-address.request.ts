import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { CallAddress } from '../call';

const ADDRESS_TYPES: readonly CallAddress['type'][] = ['tel', 'sip', 'agent', 'extension'];

/** A VoIPBIN address (seed 003). Omitted texts are stored as ''. */
export class CallAddressRequest {
  @ApiProperty({ enum: ADDRESS_TYPES, description: 'Kind of address.' })
  @IsIn(ADDRESS_TYPES)
  type!: CallAddress['type'];

  @ApiProperty({ example: '+821021656521', description: 'Number, SIP URI, agent or extension id.' })
  @IsString()
  @Length(1, 256)
  target!: string;

  @ApiPropertyOptional({ example: 'Front desk', description: 'Display name of the target.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  target_name?: string;

  @ApiPropertyOptional({ description: 'Name of the address.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  name?: string;

  @ApiPropertyOptional({ description: 'Free detail.' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  detail?: string;
}
