import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsOptional,
  IsString,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { GRANULARITIES, type Granularity, MAX_PERIODS, parseUtcDate, periodCount } from './usage-periods';

@ValidatorConstraint({ name: 'utcDate' })
class IsUtcDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseUtcDate(value) !== null;
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a calendar date YYYY-MM-DD (UTC)`;
  }
}

/** On `to`: checked only once both ends are dates, so a bad date is reported once, as itself. */
@ValidatorConstraint({ name: 'usageRange' })
class IsUsageRange implements ValidatorConstraintInterface {
  private problem(request: UsageRequest): string | null {
    if (parseUtcDate(request.from) === null || parseUtcDate(request.to) === null) return null;
    if (request.from > request.to) return 'to must not be before from';
    const granularity = GRANULARITIES.includes(request.granularity as Granularity)
      ? (request.granularity as Granularity)
      : 'day';
    if (periodCount(request.from, request.to, granularity) > MAX_PERIODS)
      return `the range may span at most ${MAX_PERIODS} periods (${granularity}s)`;
    return null;
  }
  validate(_: unknown, args: ValidationArguments): boolean {
    return this.problem(args.object as UsageRequest) === null;
  }
  defaultMessage(args: ValidationArguments): string {
    return this.problem(args.object as UsageRequest) ?? 'bad range';
  }
}

/** GET /v1/usage: whole UTC days, both ends included. */
export class UsageRequest {
  @ApiProperty({ example: '2026-01-01', description: 'First UTC day counted (YYYY-MM-DD).' })
  @IsString()
  @Validate(IsUtcDate)
  from!: string;

  @ApiProperty({
    example: '2026-01-31',
    description: `Last UTC day counted, inclusive; at most ${MAX_PERIODS} periods after \`from\`.`,
  })
  @IsString()
  @Validate(IsUtcDate)
  @Validate(IsUsageRange)
  to!: string;

  @ApiPropertyOptional({
    enum: GRANULARITIES,
    default: 'day',
    description: 'One bucket per UTC day or month.',
  })
  @IsOptional()
  @IsIn(GRANULARITIES)
  granularity?: Granularity;
}
