import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { API_KEY_ROLES, type ApiKeyRole } from '../customer';

export class IssueApiKeyRequest {
  @ApiProperty({
    enum: API_KEY_ROLES,
    description:
      'admin: manages customers and keys; user: calls and conferences; media: reports call progress.',
  })
  @IsIn(API_KEY_ROLES)
  role!: ApiKeyRole;
}
