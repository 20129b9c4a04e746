import type Database from 'better-sqlite3';
import type { ReadModelDatabase } from './read-model-database';
import type { BuildId } from './table-names';

export interface BuildRecord extends BuildId {
  readonly tables: readonly string[];
  readonly checkpoint: bigint | null;
}

interface BuildRow {
  name: string;
  version: bigint;
  generation: bigint;
  tables: string;
  checkpoint: bigint | null;
}

const toRecord = (row: BuildRow): BuildRecord => ({
  name: row.name,
  version: Number(row.version),
  generation: Number(row.generation),
  tables: JSON.parse(row.tables) as string[],
  checkpoint: row.checkpoint,
});

/**
 * The engine's bookkeeping in the read-model database: which builds exist, their checkpoints and which one
 * serves queries. Checkpoints are read with safe integers, so positions beyond 2^53 survive.
 */
export class ProjectionCatalog {
  private readonly db: Database.Database;
  private readonly selectActive: Database.Statement<[string], { version: bigint; generation: bigint }>;
  private readonly selectBuilds: Database.Statement<[string], BuildRow>;
  private readonly insertBuild: Database.Statement<[string, number, number, string, string]>;
  private readonly updateCheckpoint: Database.Statement<[bigint, string, string, number, number]>;
  private readonly upsertActive: Database.Statement<[string, number, number, string]>;
  private readonly deleteBuild: Database.Statement<[string, number, number]>;

  constructor(readModels: ReadModelDatabase) {
    this.db = readModels.connection;
    this.selectActive = this.db
      .prepare<[string], { version: bigint; generation: bigint }>(
        'SELECT version, generation FROM projection_active WHERE name = ?',
      )
      .safeIntegers(true);
    this.selectBuilds = this.db
      .prepare<[string], BuildRow>(
        `SELECT name, version, generation, tables, checkpoint FROM projection_builds
         WHERE name = ? ORDER BY version, generation`,
      )
      .safeIntegers(true);
    this.insertBuild = this.db.prepare(
      `INSERT OR IGNORE INTO projection_builds (name, version, generation, tables, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.updateCheckpoint = this.db.prepare(
      `UPDATE projection_builds SET checkpoint = ?, checkpoint_at = ?
       WHERE name = ? AND version = ? AND generation = ?`,
    );
    this.upsertActive = this.db.prepare(
      `INSERT INTO projection_active (name, version, generation, switched_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, generation = excluded.generation,
         switched_at = excluded.switched_at`,
    );
    this.deleteBuild = this.db.prepare(
      'DELETE FROM projection_builds WHERE name = ? AND version = ? AND generation = ?',
    );
  }

  active(name: string): BuildId | null {
    const row = this.selectActive.get(name);
    return row ? { name, version: Number(row.version), generation: Number(row.generation) } : null;
  }

  builds(name: string): BuildRecord[] {
    return this.selectBuilds.all(name).map(toRecord);
  }

  build(id: BuildId): BuildRecord | null {
    return (
      this.builds(id.name).find((b) => b.version === id.version && b.generation === id.generation) ?? null
    );
  }

  /** Records a build (no-op when it exists, so an interrupted build resumes from its checkpoint). */
  createBuild(id: BuildId, tables: readonly string[], at: Date): void {
    this.insertBuild.run(id.name, id.version, id.generation, JSON.stringify(tables), at.toISOString());
  }

  /** Must run inside the transaction that applied the events up to `position`. */
  saveCheckpoint(id: BuildId, position: bigint, at: Date): void {
    this.updateCheckpoint.run(position, at.toISOString(), id.name, id.version, id.generation);
  }

  activate(id: BuildId, at: Date): void {
    this.upsertActive.run(id.name, id.version, id.generation, at.toISOString());
  }

  /** Drops the build's tables (their indexes go with them) and forgets it, in one transaction. */
  dropBuild(build: BuildRecord): void {
    this.db.transaction(() => {
      for (const table of build.tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
      this.deleteBuild.run(build.name, build.version, build.generation);
    })();
  }
}
