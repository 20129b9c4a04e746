import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { ApiKeyAuthGuard } from './auth/api-key-auth.guard';
import { CustomersController } from './customers.controller';
import { TenantCommandsModule } from './tenant-commands.module';
import { TenantDirectoryModule } from './tenant-directory/tenant-directory.module';

/** Customers, their API keys, and the guard that turns a bearer key into a tenant. */
@Module({
  imports: [TenantCommandsModule, TenantDirectoryModule],
  controllers: [CustomersController],
  providers: [AdminBootstrapService, { provide: APP_GUARD, useClass: ApiKeyAuthGuard }],
  exports: [TenantDirectoryModule],
})
export class TenantsModule {}
