import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../http/principal';
import { ReadsFrom } from '../http/reads-from.decorator';
import { UsageQueries } from './usage.queries';
import { UsageRequest } from './usage.request';
import { USAGE } from './usage-read-model-name';
import { UsageReportView } from './usage-view';

/** Seed 002's Usage: the caller's own usage, from the usage read model. */
@ApiTags('usage')
@ApiBearerAuth()
@Roles('user')
@Controller('v1/usage')
export class UsageController {
  constructor(private readonly usage: UsageQueries) {}

  @Get()
  @ReadsFrom(USAGE)
  @ApiOperation({
    summary:
      'Usage per UTC day or month: ended calls by direction and outcome, billable minutes, conference ' +
      'participant-minutes, recording minutes.',
  })
  @ApiResponse({ status: 200, type: UsageReportView })
  report(@Query() query: UsageRequest, @CurrentPrincipal() principal: Principal): UsageReportView {
    return this.usage.report(principal.customerId, query.from, query.to, query.granularity ?? 'day');
  }
}
