import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProjectionEngine } from '../projections/projection-engine';

/**
 * After a command, wait (bounded) until this instance's read models have applied its events, so a GET
 * right after a POST on the same instance sees the change. On timeout the response still goes out: the
 * write is durable, only the read model is late, and a slow projection must not turn writes into errors.
 */
@Injectable()
export class ReadYourWrites {
  private readonly logger = new Logger(ReadYourWrites.name);

  constructor(
    /**
     * Absent in processes without read models (the CLI): they have nothing to wait for. The explicit token
     * matters: a union type is emitted as `Object`, and Nest then silently injected nothing, so no write
     * ever waited for its read models (round 1's stale reads).
     */
    @Optional() @Inject(ProjectionEngine) private readonly engine: ProjectionEngine | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async waitFor(position: bigint | null, projections?: string[]): Promise<void> {
    if (position === null || !this.engine) return;
    const reached = await this.engine.waitForPosition(position, {
      projections,
      timeoutMs: this.config.readYourWritesTimeoutMs,
    });
    if (!reached) this.logger.warn(`read models did not reach position ${position} in time`);
  }
}
