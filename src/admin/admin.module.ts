import { Module } from '@nestjs/common';
import { ProjectionsAdminController } from './projections-admin.controller';

/** Operator endpoints of a running server (`/v1/admin/...`), for the CLI's `--server` mode. */
@Module({ controllers: [ProjectionsAdminController] })
export class AdminModule {}
