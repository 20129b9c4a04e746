import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageRequest } from '../../http/pagination';

export class ListConferencesRequest extends PageRequest {
  @ApiPropertyOptional({ enum: ['starting', 'progressing', 'terminating', 'terminated'] })
  @IsOptional()
  @IsIn(['starting', 'progressing', 'terminating', 'terminated'])
  status?: 'starting' | 'progressing' | 'terminating' | 'terminated';

  @ApiPropertyOptional({ enum: ['conference', 'connect'] })
  @IsOptional()
  @IsIn(['conference', 'connect'])
  type?: 'conference' | 'connect';
}

export class ListConferencecallsRequest extends PageRequest {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  conference_id?: string;

  @ApiPropertyOptional({ enum: ['joining', 'joined', 'leaving', 'leaved'] })
  @IsOptional()
  @IsIn(['joining', 'joined', 'leaving', 'leaved'])
  status?: 'joining' | 'joined' | 'leaving' | 'leaved';
}
