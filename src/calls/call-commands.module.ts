import { Module } from '@nestjs/common';
import { HangupCallHandler } from './hangup-call/hangup-call.handler';
import { MakeCallHandler } from './make-call/make-call.handler';
import { ReportSignalHandler } from './report-signal/report-signal.handler';

/**
 * The write side of calls: its command handlers only, no controllers, read models or projections, so the
 * operator CLI imports it without starting anything (handlers need `CommandExecutor`, `CLOCK` and an
 * optional read-your-writes engine from global modules).
 */
@Module({ providers: [MakeCallHandler, HangupCallHandler, ReportSignalHandler] })
export class CallCommandsModule {}
