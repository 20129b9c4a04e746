import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { ProjectionEngine } from '../projections/projection-engine';
import { recordWritePosition } from './write-position';

/**
 * Read-your-writes on one instance, as docs/ARCHITECTURE.md defines it: after a 2xx for a write, every read
 * by that client on that instance shows the write.
 *
 * - A write waits (bounded) until this instance's read models have applied its events, so the GET right
 *   after it sees the change. On timeout the write still succeeds (it is durable; a slow projection must not
 *   turn writes into errors), but the position is remembered as OWED to those read models.
 * - A read first checks that its read models have applied everything owed (one comparison when nothing is
 *   owed), plus any position the client brings from another instance (`Switchboard-Min-Position`). If they
 *   do not get there within the same bound, the read answers 503 with Retry-After instead of stale data.
 */
@Injectable()
export class ReadYourWrites {
  private readonly logger = new Logger(ReadYourWrites.name);
  /** Per read model: the highest position a write acknowledged before that read model had applied it. */
  private readonly owed = new Map<string, bigint>();

  constructor(
    /**
     * Absent in processes without read models (the CLI): they have nothing to wait for. The explicit token
     * matters: a union type is emitted as `Object`, and Nest then silently injected nothing, so no write
     * ever waited for its read models (round 1's stale reads).
     */
    @Optional() @Inject(ProjectionEngine) private readonly engine: ProjectionEngine | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** After a write: wait until `projections` (default: all) have applied `position`. */
  async waitFor(position: bigint | null, projections?: readonly string[]): Promise<void> {
    if (position === null) return;
    recordWritePosition(position);
    // 0 switches read-your-writes off (benchmarks compare against it): nothing waits, nothing is owed.
    if (!this.engine || this.config.readYourWritesTimeoutMs === 0) return;
    const names = projections ?? this.engine.names();
    const reached = await this.engine.waitForPosition(position, {
      projections: names,
      timeoutMs: this.config.readYourWritesTimeoutMs,
    });
    if (reached) return;
    this.logger.warn(`read models ${names.join(', ')} did not reach position ${position} in time`);
    for (const name of names) if ((this.owed.get(name) ?? -1n) < position) this.owed.set(name, position);
  }

  /**
   * Before a read of `projections`: resolves once they show every write this instance acknowledged and the
   * client's own `minPosition`; throws `read_model.behind` (503) when they do not within the bound.
   */
  async ensureFresh(projections: readonly string[], minPosition?: bigint): Promise<void> {
    if (!this.engine) return;
    let target = minPosition ?? -1n;
    for (const name of projections) {
      const owed = this.owed.get(name);
      if (owed !== undefined && owed > target) target = owed;
    }
    if (target < 0n) return;
    const reached = await this.engine.waitForPosition(target, {
      projections,
      timeoutMs: this.config.readYourWritesTimeoutMs,
    });
    if (reached) {
      this.forgive(projections, target);
      return;
    }
    throw new DomainError(
      'unavailable',
      'read_model.behind',
      `read models ${projections.join(', ')} have not caught up with position ${target} yet; retry`,
      { position: target.toString() },
    );
  }

  /** What is owed and already applied needs no more checks. */
  private forgive(projections: readonly string[], reached: bigint): void {
    for (const name of projections) {
      const owed = this.owed.get(name);
      if (owed !== undefined && owed <= reached) this.owed.delete(name);
    }
  }
}
