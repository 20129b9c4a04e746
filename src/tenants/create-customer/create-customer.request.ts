import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** Something to show: at least one visible character, and no control characters (NUL included). */
const DISPLAY_NAME = /^(?=.*\S)[^\p{Cc}]*$/su;

export class CreateCustomerRequest {
  @ApiProperty({ example: 'Acme Telecom', description: 'Display name of the customer (tenant).' })
  @IsString()
  @Length(1, 200)
  @Matches(DISPLAY_NAME, { message: 'name must show something: not blank, no control characters' })
  name!: string;
}
