import { Module } from '@nestjs/common';
import { QueueCallActionsHandler } from './call-actions/queue-call-actions.handler';
import { ReportMediaEventHandler } from './call-actions/report-media-event.handler';
import { HangupCallHandler } from './hangup-call/hangup-call.handler';
import { MakeCallHandler } from './make-call/make-call.handler';
import { ReportSignalHandler } from './report-signal/report-signal.handler';

/**
 * The write side of calls: its command handlers only, no controllers, read models or projections, so the
 * operator CLI imports it without starting anything (handlers need `CommandExecutor`, `CLOCK` and an
 * optional read-your-writes engine from global modules).
 */
@Module({
  providers: [
    MakeCallHandler,
    HangupCallHandler,
    ReportSignalHandler,
    // Call control and AMD.
    QueueCallActionsHandler,
    ReportMediaEventHandler,
  ],
})
export class CallCommandsModule {}
