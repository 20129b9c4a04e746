import { Module, OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProjectionEngine } from '../projections/projection-engine';
import { CallHistory } from './call-history/call-history';
import { callHistoryProjection } from './call-history/call-history.projection';
import { CallQueriesController } from './call-queries.controller';
import { CallsController } from './calls.controller';
import { HangupCallHandler } from './hangup-call/hangup-call.handler';
import { MakeCallHandler } from './make-call/make-call.handler';
import { ReportSignalHandler } from './report-signal/report-signal.handler';

const CommandHandlers = [MakeCallHandler, HangupCallHandler, ReportSignalHandler];

/** Calls: their commands (also dispatched by sagas and the media gateway), REST API and call-history. */
@Module({
  imports: [AuditModule],
  controllers: [CallQueriesController, CallsController],
  providers: [...CommandHandlers, CallHistory],
  exports: [CallHistory],
})
export class CallsModule implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}

  onModuleInit(): void {
    this.engine.register(callHistoryProjection);
  }
}
