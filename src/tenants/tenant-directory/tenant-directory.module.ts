import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionEngine } from '../../projections/projection-engine';
import { ResolvedKeyCache } from './resolved-key-cache';
import { TenantDirectory } from './tenant-directory';
import { tenantDirectoryProjection } from './tenant-directory.projection';

/**
 * The tenant-directory read model (customers and key hashes, for the auth guard), its queries, and the
 * resolved-key cache the projection invalidates in the same step that applies a revoke.
 */
@Module({ providers: [TenantDirectory, ResolvedKeyCache], exports: [TenantDirectory, ResolvedKeyCache] })
export class TenantDirectoryModule implements OnModuleInit {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly resolvedKeys: ResolvedKeyCache,
  ) {}

  onModuleInit(): void {
    this.engine.register(tenantDirectoryProjection(this.resolvedKeys));
  }
}
