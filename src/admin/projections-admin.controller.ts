import { Controller, Get, HttpCode, Inject, Injectable, Param, PipeTransform, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { Idempotent } from '../http/idempotent.decorator';
import { Roles } from '../http/principal';
import { InputValidationError } from '../http/validation';
import { ProjectionOperations } from '../operator/projection-operations';
import { ProjectionStatusPage, ProjectionStatusView } from '../operator/projection-status-view';
import { ProjectionEngine } from '../projections/projection-engine';

/** Projection names are kebab-case words; anything else is a 400, never a lookup. */
@Injectable()
class ProjectionNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[a-z][a-z0-9-]{0,63}$/.test(value))
      throw new InputValidationError([
        { field: 'name', message: 'name must be a projection name, e.g. call-history' },
      ]);
    return value;
  }
}

/**
 * What `switchboard projections` does against a running server: list, rebuild (blue/green, answered at
 * once with 202 while the old tables keep serving) and retry a failed projection. Admin keys only.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/projections')
export class ProjectionsAdminController {
  private readonly operations: ProjectionOperations;

  constructor(engine: ProjectionEngine, @Inject(EVENT_STORE) store: EventStore) {
    this.operations = new ProjectionOperations(engine, store);
  }

  @Get()
  @ApiOperation({ summary: 'Every projection: version, position, head, lag, state, failure.' })
  @ApiOkResponse({ type: ProjectionStatusPage })
  async list(): Promise<ProjectionStatusPage> {
    return { result: await this.operations.list() };
  }

  @Idempotent()
  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild into fresh tables beside the serving ones, then switch; poll the list for progress.',
  })
  @ApiResponse({ status: 202, type: ProjectionStatusView })
  async rebuild(@Param('name', ProjectionNamePipe) name: string): Promise<ProjectionStatusView> {
    return (await this.operations.startRebuild(name)).status;
  }

  @Idempotent()
  @Post(':name/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restart a failed projection from its checkpoint.' })
  @ApiOkResponse({ type: ProjectionStatusView })
  retry(@Param('name', ProjectionNamePipe) name: string): Promise<ProjectionStatusView> {
    return this.operations.retry(name);
  }
}
