import {
  Logger,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { CommandExecutor } from '../command-handling/command-executor';
import type { CommandMetadata } from '../command-handling/command-metadata';
import type { Clock } from '../domain/clock';
import { entityIdsOf, withLogContext } from '../observability/log-context';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from '../reactors/backoff';
import { isFinal } from '../reactors/reactor-runner';
import type { DueCursor, DueTimerRow, DueTimers } from './due-timers';
import type { ScheduledTask, Scheduler } from './scheduler';
import type { TimerFirings, TimerKey } from './timer-firings';
import type { TimerRegistry } from './timer-source';

export const TIMER_ACTOR = 'system:timer';

export interface TimerWorkerOptions {
  /**
   * Longest sleep between two looks at the timers, whatever the next due time: a fallback for a missed
   * change notification or a wall clock that jumped. Default 60 s.
   */
  pollMs?: number;
  backoff?: BackoffOptions;
  /**
   * While the timers projection catches up from more than this many positions behind (a cold start, a
   * read-model wipe), nothing fires after the first pass that notices it; the worker looks again every second. What the projection lists then
   * is mostly timers of streams whose later events it has not applied yet (a call hung up long ago,
   * listed as still dialing): each would be a command for nothing plus a row in reactors.db. Default 20,000.
   */
  holdWhileBehindPositions?: number;
  /** Firings due longer ago than this are forgotten (see `TimerFirings.pruneBefore`). Default 7 days. */
  keepFiringsMs?: number;
  logger?: LoggerService;
  /**
   * Start on application bootstrap (default). False when a lease decides when this instance fires timers:
   * the runtime starts it once it holds the lease and stops it when it loses it.
   */
  autoStart?: boolean;
}

export interface TimerWorkerDependencies {
  executor: CommandExecutor;
  registry: TimerRegistry;
  timers: DueTimers;
  firings: TimerFirings;
  clock: Clock;
  scheduler: Scheduler;
}

const PAGE = 200;
/** How soon a worker held back by a catching-up projection looks again. */
const HOLD_RECHECK_MS = 1_000;

/**
 * Fires due timers: one scheduled wake-up for the earliest due time (re-armed when the timers projection
 * commits a change, and at least every `pollMs`), then every due timer not fired yet is sent as its
 * source's command, straight to the source's decider through the CommandExecutor (timer commands are
 * internal: no other transport), with metadata continuing the correlation of the event that scheduled it.
 *
 * Fire once: a firing is recorded in `reactors.db` after its command went through (or was refused with a
 * DomainError: final), so it does not fire again after a restart. A crash in between fires it again, which
 * is harmless: the deciders treat an early, stale or repeated firing as a no-op. A transient failure
 * (store unavailable, concurrency conflict) is retried with backoff, per timer.
 *
 * Tests drive it deterministically with a fixed clock and `fireDue()`; the scheduler is injectable.
 * Like reactors, it assumes one active instance (see ReactorEngine on scale-out).
 */
export class TimerWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: LoggerService;
  private readonly pollMs: number;
  private readonly backoff: BackoffOptions;
  private readonly failures = new Map<string, { attempts: number; retryAtMs: number }>();
  private wakeUp: ScheduledTask | null = null;
  private scanning: Promise<number> | null = null;
  private rescan = false;
  private notified = false;
  private running = false;
  private stopping = false;
  private lastPruneMs = Number.NEGATIVE_INFINITY;
  /** The timers projection was far behind at the last look: passes fire nothing until it is not. */
  private held = false;

  constructor(
    private readonly deps: TimerWorkerDependencies,
    private readonly options: TimerWorkerOptions = {},
  ) {
    this.logger = options.logger ?? new Logger(TimerWorker.name);
    this.pollMs = options.pollMs ?? 60_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    // After the current macrotask: the projection engine sets its tables up in its own bootstrap hook.
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    // A pass over many overdue timers (after downtime, or a bulk import) must not hold shutdown: what it
    // did not fire is still due, and fires at the next start.
    this.stopping = true;
    this.wakeUp?.cancel();
    this.wakeUp = null;
    await this.scanning?.catch(() => undefined);
  }

  onApplicationBootstrap(): void {
    if (this.options.autoStart ?? true) this.start();
  }

  get isRunning(): boolean {
    return this.running;
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  /** The timers projection changed: look again once its transaction has committed. */
  notify(): void {
    if (this.notified || !this.running) return;
    this.notified = true;
    setImmediate(() => {
      this.notified = false;
      void this.fireDue();
    });
  }

  /**
   * Fires every timer due by the clock's now that has not fired yet, then re-arms. Resolves with the number
   * of timers whose command ran (no-ops included). Concurrent calls share one pass (plus one more, so a
   * change seen during a pass is not missed).
   */
  fireDue(): Promise<number> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.wakeUp?.cancel();
    this.wakeUp = null;
    const pass = this.scan().finally(() => {
      this.scanning = null;
      if (this.running) this.armNext();
    });
    this.scanning = pass;
    return pass;
  }

  private async scan(): Promise<number> {
    let fired = 0;
    try {
      this.pruneFirings();
      // Held back at the last look: look again before firing anything.
      if (this.held) this.held = await this.farBehind();
      if (this.held) return 0;
      let listed = false;
      do {
        this.rescan = false;
        const nowMs = this.deps.clock.now().getTime();
        let cursor: DueCursor | null = null;
        for (;;) {
          const rows = this.deps.timers.dueBy(nowMs, cursor, PAGE);
          if (rows.length > 0) listed = true;
          for (const row of rows) {
            if (this.stopping) return fired;
            if (await this.fire(row, nowMs)) fired++;
          }
          if (rows.length < PAGE) break;
          // A full page: a cold start's catch-up lists thousands of stale timers; stop after one page.
          this.held = await this.farBehind();
          if (this.held) return fired;
          const last = rows[rows.length - 1];
          cursor = { dueMs: last.dueMs, streamId: last.streamId, kind: last.kind };
        }
      } while (this.rescan && !this.stopping);
      // Looked at only after a pass that found something due (not before its first firing, which would
      // delay every pass; nor on empty passes, to keep the live path free of status queries).
      if (listed) this.held = await this.farBehind();
    } catch (error) {
      // The read model is not there yet (first start) or the database failed: try again at the next wake-up.
      this.logger.error(`Timer scan failed: ${(error as Error).message}`);
    }
    return fired;
  }

  /** Fires one due timer; every line logged meanwhile names the timer, its stream and its correlation. */
  private fire(row: DueTimerRow, nowMs: number): Promise<boolean> {
    const fields = {
      timer: row.kind,
      stream: row.streamId,
      ...entityIdsOf(row.streamId, null),
      tenant: row.customerId,
      correlation_id: row.correlationId,
    };
    return withLogContext(fields, () => this.fireInContext(row, nowMs));
  }

  private async fireInContext(row: DueTimerRow, nowMs: number): Promise<boolean> {
    const key: TimerKey = { streamId: row.streamId, kind: row.kind, dueAt: row.dueAt };
    const id = keyOf(key);
    if (this.deps.firings.hasFired(key)) return false;
    const failure = this.failures.get(id);
    if (failure && failure.retryAtMs > nowMs) return false;
    const source = this.deps.registry.get(row.source);
    if (!source) {
      this.logger.warn(`Timer ${id}: no timer source named ${row.source}`);
      return false;
    }
    const at = this.deps.clock.now();
    const metadata: CommandMetadata = {
      correlationId: row.correlationId,
      causationId: id,
      customerId: row.customerId,
      actor: TIMER_ACTOR,
    };
    try {
      const command = source.command(
        { kind: row.kind, dueAt: row.dueAt },
        JSON.parse(row.state),
        at.toISOString(),
      );
      await this.deps.executor.execute({
        decider: source.decider,
        streamId: row.streamId,
        command,
        metadata,
      });
    } catch (error) {
      if (!isFinal(error)) {
        const attempts = (failure?.attempts ?? 0) + 1;
        this.failures.set(id, { attempts, retryAtMs: nowMs + backoffDelay(attempts, this.backoff) });
        this.logger.error(`Timer ${id} failed (attempt ${attempts}): ${(error as Error).message}`);
        return false;
      }
      this.logger.warn(`Timer ${id} refused: ${(error as Error).message}`);
    }
    this.failures.delete(id);
    this.deps.firings.record(key, at);
    return true;
  }

  /** The timers projection is catching up from far behind (see `holdWhileBehindPositions`). */
  private async farBehind(): Promise<boolean> {
    const limit = BigInt(this.options.holdWhileBehindPositions ?? 20_000);
    try {
      return (await this.deps.timers.catchUpLag()) > limit;
    } catch {
      // Status unavailable (store failing): scan as before; the scan reports its own errors.
      return false;
    }
  }

  /** At start and then at most hourly: the firings table only needs the recent past. */
  private pruneFirings(): void {
    const nowMs = this.deps.clock.now().getTime();
    if (nowMs - this.lastPruneMs < 3_600_000) return;
    this.lastPruneMs = nowMs;
    const keep = this.options.keepFiringsMs ?? 7 * 24 * 3_600_000;
    this.deps.firings.pruneBefore(new Date(nowMs - keep));
  }

  /** Sleeps until the next due time, the next retry or the poll interval, whichever comes first. */
  private armNext(): void {
    let delay = this.pollMs;
    try {
      const nowMs = this.deps.clock.now().getTime();
      const next = this.deps.timers.nextAfter(nowMs);
      if (next !== null) delay = Math.min(delay, next - nowMs);
      if (this.held) delay = Math.min(delay, HOLD_RECHECK_MS);
      for (const { retryAtMs } of this.failures.values()) delay = Math.min(delay, retryAtMs - nowMs);
    } catch {
      // Tables not created yet: poll.
    }
    this.arm(Math.max(0, delay));
  }

  private arm(delayMs: number): void {
    this.wakeUp?.cancel();
    this.wakeUp = this.deps.scheduler.schedule(() => {
      this.wakeUp = null;
      if (this.running) void this.fireDue();
    }, delayMs);
  }
}

/** The causation id of a firing: names the timer and the due time it fired for. */
export function keyOf(key: TimerKey): string {
  return `timer:${key.streamId}:${key.kind}:${key.dueAt}`;
}
