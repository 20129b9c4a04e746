interface Waiter {
  readonly position: bigint;
  readonly names: readonly string[];
  readonly resolve: (reached: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Read-your-writes without polling: callers park here with a position, and the engine calls `notify()`
 * after each commit (and each switch), which settles every waiter whose projections have all passed it.
 */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly checkpointOf: (name: string) => bigint | null) {}

  /** Resolves true once every named projection's checkpoint is ≥ position, false after `timeoutMs`. */
  wait(position: bigint, names: readonly string[], timeoutMs: number): Promise<boolean> {
    if (this.reached(position, names)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        position,
        names,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  notify(): void {
    for (const waiter of this.waiters) {
      if (!this.reached(waiter.position, waiter.names)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(true);
    }
  }

  /** Settles every waiter with false (engine stopping): nobody hangs until its timeout. */
  releaseAll(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters.clear();
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Whether every named projection's checkpoint is ≥ position now. */
  reached(position: bigint, names: readonly string[]): boolean {
    return names.every((name) => {
      const checkpoint = this.checkpointOf(name);
      return checkpoint !== null && checkpoint >= position;
    });
  }
}
