import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';

export class JoinConferenceRequest {
  @ApiProperty({ format: 'uuid', example: '99accfb7-c0dd-4a54-997d-dd18af7bc280' })
  @IsUUID('all')
  conference_id!: string;

  @ApiProperty({ enum: ['call'], description: 'Only calls can join for now.' })
  @IsIn(['call'])
  reference_type!: 'call';

  @ApiProperty({ format: 'uuid', description: 'The call: answered, of this tenant, in no other conference.' })
  @IsUUID('all')
  reference_id!: string;
}
