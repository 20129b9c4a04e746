import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainError } from '../domain/domain-error';
import { InputValidationError } from '../http/validation';
import { ProjectionEngine } from '../projections/projection-engine';
import { recordWritePosition } from './write-position';

/** The header a client sends a position from another instance in, as 400s name it. */
export const MIN_POSITION_FIELD = 'Switchboard-Min-Position';

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
    if (minPosition !== undefined) await this.refuseUnwritten(minPosition, projections);
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

  /**
   * A client's position past the store's head was never returned by any instance (a write's position is in
   * the store before its 2xx): a 400 now beats a 503 after the whole bound for a wait that cannot end. The
   * head is asked only when the position is not applied here yet, so a header that holds costs nothing.
   */
  private async refuseUnwritten(minPosition: bigint, projections: readonly string[]): Promise<void> {
    const engine = this.engine as ProjectionEngine;
    if (engine.hasApplied(minPosition, projections)) return;
    const head = (await engine.headPosition()) ?? 0n;
    if (minPosition <= head) return;
    throw new InputValidationError([
      { field: MIN_POSITION_FIELD, message: `position ${minPosition} is beyond the last event (${head})` },
    ]);
  }

  /** What is owed and already applied needs no more checks. */
  private forgive(projections: readonly string[], reached: bigint): void {
    for (const name of projections) {
      const owed = this.owed.get(name);
      if (owed !== undefined && owed <= reached) this.owed.delete(name);
    }
  }
}
