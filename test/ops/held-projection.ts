import { Module, type OnModuleInit } from '@nestjs/common';
import type { Projection } from '../../src/projections/projection';
import { ProjectionEngine } from '../../src/projections/projection-engine';

/**
 * A read model that cannot get past the store's events until `release()`: it throws while held (the
 * engine marks it failed), so the instance stays not ready; `release()` then `restart` lets it catch up.
 */
export class HeldProjection {
  held = true;
  readonly name = 'held-back';

  projection(): Projection<'seen'> {
    return {
      name: this.name,
      version: 1,
      tables: ['seen'],
      setup: (db, t) => {
        db.exec(`CREATE TABLE IF NOT EXISTS ${t.seen} (position INTEGER PRIMARY KEY)`);
        const insert = db.prepare(`INSERT OR IGNORE INTO ${t.seen} (position) VALUES (?)`);
        return {
          handle: (event) => {
            if (this.held) throw new Error('held back by the test');
            insert.run(event.position);
          },
        };
      },
    };
  }

  /** A module registering this projection before the application starts. */
  module(): new (...args: never[]) => unknown {
    const held = this;
    @Module({})
    class HeldProjectionModule implements OnModuleInit {
      constructor(private readonly engine: ProjectionEngine) {}
      onModuleInit(): void {
        this.engine.register(held.projection());
      }
    }
    return HeldProjectionModule;
  }
}
