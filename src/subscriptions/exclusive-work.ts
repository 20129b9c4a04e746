import { Logger, type LoggerService } from '@nestjs/common';
import type { Clock } from '../domain/clock';
import { type IdGenerator, uuidV7Generator } from '../domain/id-generator';
import { newHolderId } from './holder-id';
import type { Lease, LeaseStore } from './lease';
import { LeaseKeeper } from './lease-keeper';
import type { LeaseKeeperOptions, LeaseKeeperStatus, LeaseLoss } from './lease-keeper-options';

/**
 * Work that must happen once across instances sharing one event store: reactions (dialling, kicks),
 * timers, outbound requests. It runs only while this instance holds the lease, fenced by its token.
 */
export interface ExclusiveWork {
  readonly name: string;
  start(fence: bigint): void;
  /** Stops at once (the reaction in flight finishes); its checkpoint is saved under the old fence. */
  stop(): Promise<void>;
}

/** The one lease that guards all exclusive work of an instance. */
export const EXCLUSIVE_WORK_LEASE = 'exclusive-work';

export interface ExclusiveWorkOptions {
  leases: LeaseStore;
  clock: Clock;
  ids?: IdGenerator;
  logger?: LoggerService;
  /** Lease timing; defaults keep a kill -9 taken over within 15 s (see LeaseKeeperOptions). */
  keeper?: Pick<LeaseKeeperOptions, 'ttlMs' | 'renewEveryMs' | 'retryEveryMs' | 'safetyMarginMs'>;
}

/**
 * Starts every registered piece of exclusive work when this instance acquires the lease and stops it when
 * the lease is lost (taken over, or unreachable for longer than is safe). One lease for all of it rather than
 * one per reactor: the work shares one event store and one media gateway, so splitting it across instances
 * buys nothing and multiplies lease traffic.
 */
export class ExclusiveWorkRunner {
  readonly holder: string;
  private readonly works: ExclusiveWork[] = [];
  private readonly keeper: LeaseKeeper;
  private readonly logger: LoggerService;
  private fence: bigint | null = null;

  constructor(options: ExclusiveWorkOptions) {
    this.logger = options.logger ?? new Logger(ExclusiveWorkRunner.name);
    this.holder = newHolderId(options.ids ?? uuidV7Generator);
    this.keeper = new LeaseKeeper({
      ...options.keeper,
      leases: options.leases,
      name: EXCLUSIVE_WORK_LEASE,
      holder: this.holder,
      clock: options.clock,
      onAcquired: (lease) => this.acquired(lease),
      onLost: (loss) => this.lost(loss),
    });
  }

  /** Work registered after the lease was acquired starts at once. */
  register(work: ExclusiveWork): void {
    this.works.push(work);
    if (this.fence !== null) work.start(this.fence);
  }

  start(): void {
    this.keeper.start();
  }

  /** Stops the work, then releases the lease so another instance takes over at once. */
  stop(): Promise<void> {
    return this.keeper.stop();
  }

  status(): LeaseKeeperStatus {
    return this.keeper.status();
  }

  private acquired(lease: Lease): void {
    this.fence = lease.token;
    this.logger.log(`holding ${lease.name} (token ${lease.token}): running ${this.names()}`);
    for (const work of this.works) work.start(lease.token);
  }

  private async lost(loss: LeaseLoss): Promise<void> {
    this.fence = null;
    if (loss.reason !== 'stopped')
      this.logger.warn(`lost the lease (${loss.reason}: ${loss.detail}): stopping ${this.names()}`);
    await Promise.all(this.works.map((work) => work.stop()));
  }

  private names(): string {
    return this.works.map((work) => work.name).join(', ');
  }
}
