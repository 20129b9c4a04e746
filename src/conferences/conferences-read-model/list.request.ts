import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

/** Paging shared by the list routes: `page_size` rows, then `page_token` from the previous answer. */
class PageRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page_size?: number;

  @ApiPropertyOptional({ description: "The previous answer's next_page_token." })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  page_token?: string;
}

export const DEFAULT_PAGE_SIZE = 10;

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
