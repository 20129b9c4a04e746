import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionEngine } from '../projections/projection-engine';
import { CallEvents } from './call-history/call-events';
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
  controllers: [CallQueriesController, CallsController],
  providers: [...CommandHandlers, CallHistory, CallEvents],
  exports: [CallHistory],
})
export class CallsModule implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}

  onModuleInit(): void {
    this.engine.register(callHistoryProjection);
  }
}
