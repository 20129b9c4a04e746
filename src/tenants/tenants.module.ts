import { Module, OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ProjectionEngine } from '../projections/projection-engine';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { ApiKeyAuthGuard } from './auth/api-key-auth.guard';
import { CreateCustomerHandler } from './create-customer/create-customer.handler';
import { CustomersController } from './customers.controller';
import { IssueApiKeyHandler } from './issue-api-key/issue-api-key.handler';
import { RevokeApiKeyHandler } from './revoke-api-key/revoke-api-key.handler';
import { ResolvedKeyCache } from './tenant-directory/resolved-key-cache';
import { TenantDirectory } from './tenant-directory/tenant-directory';
import { tenantDirectoryProjection } from './tenant-directory/tenant-directory.projection';

const CommandHandlers = [CreateCustomerHandler, IssueApiKeyHandler, RevokeApiKeyHandler];

/** Customers, their API keys, and the guard that turns a bearer key into a tenant. */
@Module({
  controllers: [CustomersController],
  providers: [
    ...CommandHandlers,
    TenantDirectory,
    ResolvedKeyCache,
    AdminBootstrapService,
    { provide: APP_GUARD, useClass: ApiKeyAuthGuard },
  ],
  exports: [TenantDirectory],
})
export class TenantsModule implements OnModuleInit {
  constructor(
    private readonly engine: ProjectionEngine,
    private readonly resolvedKeys: ResolvedKeyCache,
  ) {}

  onModuleInit(): void {
    this.engine.register(tenantDirectoryProjection(this.resolvedKeys));
  }
}
