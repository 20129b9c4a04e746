import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/principal';
import { ReadinessService } from './readiness.service';

/** Probes for orchestrators; no key needed, never gated, never rate limited. Terminus' body shape. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: ReadinessService,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'The process is up (restart it when this fails)' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([async () => this.indicators.check('process').up({ pid: process.pid })]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Store reachable, read models caught up, lease state: 200 when traffic may be routed here, else 503',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const report = await this.readiness.report();
    const checks = Object.entries(report.parts).map(([name, part]) => async () => {
      const indicator = this.indicators.check(name);
      return part.ready ? indicator.up(part.details) : indicator.down(part.details);
    });
    try {
      return await this.health.check(checks);
    } catch (error) {
      // Terminus throws its full result on failure; send it as is (the problem filter would drop details).
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503).header('retry-after', '1');
      return error.getResponse() as HealthCheckResult;
    }
  }
}
