import type Database from 'better-sqlite3';

/** How the runtime treats builds that are far behind the head. */
export interface CatchUpOptions {
  /** Most events applied in one transaction while a build catches up (live: the engine's `batchSize`). */
  batchSize: number;
  /** SQLite page cache of the read-model connection while any build catches up, in KiB. */
  cacheKib: number;
  /** WAL pages between automatic checkpoints while any build catches up. */
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
 */
export class CatchUpTuning {
  private holders = 0;
  private saved: { cacheSize: number; autocheckpoint: number } | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly options: Pick<CatchUpOptions, 'cacheKib' | 'walAutocheckpointPages'>,
  ) {}

  enter(): void {
    this.holders++;
    if (this.holders > 1 || !this.db.open) return;
    this.saved = {
      cacheSize: this.db.pragma('cache_size', { simple: true }) as number,
      autocheckpoint: this.db.pragma('wal_autocheckpoint', { simple: true }) as number,
    };
    this.db.pragma(`cache_size = ${-Math.round(this.options.cacheKib)}`);
    this.db.pragma(`wal_autocheckpoint = ${Math.round(this.options.walAutocheckpointPages)}`);
  }

  leave(): void {
    if (this.holders === 0) return;
    this.holders--;
    if (this.holders > 0 || !this.saved || !this.db.open) return;
    const { cacheSize, autocheckpoint } = this.saved;
    this.saved = null;
    // Move the catch-up's WAL into the file now rather than on the first live commits.
    this.db.pragma('wal_checkpoint(PASSIVE)');
    this.db.pragma(`cache_size = ${cacheSize}`);
    this.db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
  }

  get active(): boolean {
    return this.holders > 0;
  }
}
