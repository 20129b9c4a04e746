import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CallActionsController } from './call-actions/call-actions.controller';
import { CallCommandsModule } from './call-commands.module';
import { CallHistoryModule } from './call-history/call-history.module';
import { CallQueriesController } from './call-queries.controller';
import { CallsController } from './calls.controller';
import { SeedCallController } from './seed-call-document/seed-call.controller';

/** Calls served over HTTP: the write side (also dispatched by sagas and the media gateway), call-history. */
@Module({
  imports: [CallCommandsModule, CallHistoryModule, AuditModule],
  controllers: [CallQueriesController, CallsController, SeedCallController, CallActionsController],
  exports: [CallHistoryModule],
})
export class CallsModule {}
