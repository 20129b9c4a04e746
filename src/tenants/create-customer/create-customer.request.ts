import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateCustomerRequest {
  @ApiProperty({ example: 'Acme Telecom', description: 'Display name of the customer (tenant).' })
  @IsString()
  @Length(1, 200)
  name!: string;
}
