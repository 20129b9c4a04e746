import type Database from 'better-sqlite3';
import type { WalCheckpointer } from '../sqlite/wal-checkpointer';

/** How the runtime treats builds that are far behind the head. */
export interface CatchUpOptions {
  /** Most events applied in one transaction while a build catches up (live: the engine's `batchSize`). */
  batchSize: number;
  /** SQLite page cache of the read-model connection while any build catches up, in KiB. */
  cacheKib: number;
  /** WAL pages between automatic checkpoints while any build catches up (when the connection checkpoints). */
  walAutocheckpointPages: number;
  /** A fresh build on a log at most this long creates its indexes at once instead of after catch-up. */
  deferIndexesAbove: number;
  /** Longest a catch-up batch keeps filling before it commits, so progress (and readiness) stays visible. */
  maxBatchAgeMs: number;
}

export const CATCH_UP_DEFAULTS: CatchUpOptions = {
  batchSize: 20_000,
  cacheKib: 128 * 1024,
  walAutocheckpointPages: 16_384,
  deferIndexesAbove: 20_000,
  maxBatchAgeMs: 250,
};

/**
 * Connection settings for the time some build catches up, shared by every runner on the read-model
 * connection (counted: the first to enter applies them, the last to leave restores what was there).
 *
 * Why: a rebuild dirties far more pages per commit than the live path. With SQLite's defaults (2 MB page
 * cache, a checkpoint every 1,000 WAL pages) the indexes of a large table stop fitting in the cache and
 * nearly every commit also checkpoints, with an fsync. A larger cache and rarer checkpoints during
 * catch-up, then one checkpoint at the end, remove most of that. The live path keeps the defaults.
 *
 * With a worker checkpointing the file (`checkpointer`, running), the connection never checkpoints: its
 * threshold is left at 0 and the end of catch-up asks the worker instead of copying the WAL on the loop.
 */
export class CatchUpTuning {
  private holders = 0;
  private saved: { cacheSize: number; autocheckpoint: number | null } | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly options: Pick<CatchUpOptions, 'cacheKib' | 'walAutocheckpointPages'>,
    private readonly checkpointer: WalCheckpointer | null = null,
  ) {}

  enter(): void {
    this.holders++;
    if (this.holders > 1 || !this.db.open) return;
    const onConnection = !this.offLoop;
    this.saved = {
      cacheSize: this.db.pragma('cache_size', { simple: true }) as number,
      autocheckpoint: onConnection
        ? (this.db.pragma('wal_autocheckpoint', { simple: true }) as number)
        : null,
    };
    this.db.pragma(`cache_size = ${-Math.round(this.options.cacheKib)}`);
    if (onConnection)
      this.db.pragma(`wal_autocheckpoint = ${Math.round(this.options.walAutocheckpointPages)}`);
  }

  leave(): void {
    if (this.holders === 0) return;
    this.holders--;
    if (this.holders > 0 || !this.saved || !this.db.open) return;
    const { cacheSize, autocheckpoint } = this.saved;
    this.saved = null;
    this.db.pragma(`cache_size = ${cacheSize}`);
    // Move the catch-up's WAL into the file now rather than on the first live commits.
    if (this.offLoop) {
      this.checkpointer?.checkpointSoon();
      return;
    }
    this.db.pragma('wal_checkpoint(PASSIVE)');
    // A worker that failed during catch-up already gave the connection its live threshold back.
    if (autocheckpoint !== null) this.db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  }

  private get offLoop(): boolean {
    return this.checkpointer?.status().running ?? false;
  }

  get active(): boolean {
    return this.holders > 0;
  }
}
