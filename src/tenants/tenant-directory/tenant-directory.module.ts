import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionEngine } from '../../projections/projection-engine';
import { TenantDirectory } from './tenant-directory';
import { tenantDirectoryProjection } from './tenant-directory.projection';

/** The tenant-directory read model (customers and key hashes, for the auth guard) and its queries. */
@Module({ providers: [TenantDirectory], exports: [TenantDirectory] })
export class TenantDirectoryModule implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}

  onModuleInit(): void {
    this.engine.register(tenantDirectoryProjection);
  }
}
