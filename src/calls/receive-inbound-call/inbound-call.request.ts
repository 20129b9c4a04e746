import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { E164_MESSAGE, normalisePhoneNumber } from '../../numbers/number-fields.request';
import { E164 } from '../../numbers/number-stream';

/** POST /v1/calls/inbound (media layer) and POST /v1/simulator/inbound-calls. */
export class InboundCallRequest {
  @ApiProperty({ example: '+31850835037', description: 'The registered number that was called (E.164).' })
  @Transform(normalisePhoneNumber)
  @IsString()
  @Matches(E164, { message: E164_MESSAGE })
  number!: string;

  @ApiProperty({ example: '+821021656521', description: 'The caller: a number or a SIP address.' })
  @IsString()
  @Length(1, 256)
  @Matches(/^[^\s]+$/, { message: 'from must not contain spaces' })
  from!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "The media layer's own call id: reporting the same call again returns the same call.",
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value))
  @IsUUID()
  call_id?: string;
}
