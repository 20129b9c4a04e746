import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { callDecider } from '../call.decider';
import { CALL_HISTORY } from '../call-history/call-history.projection';
import { callStreamId } from '../call-stream';
import type { CallOutcome } from '../make-call/make-call.handler';
import { ReportSignalCommand } from './report-signal.command';

/**
 * A media layer's signal. The time is the gateway's own observation when it gives one (the simulated
 * gateway does), else now. Redelivery with the same signal id decides nothing and returns the current state.
 */
@CommandHandler(ReportSignalCommand)
export class ReportSignalHandler implements ICommandHandler<ReportSignalCommand, CallOutcome> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ callId, report, metadata, ifMatch }: ReportSignalCommand): Promise<CallOutcome> {
    const outcome = await this.executor.execute({
      decider: callDecider,
      streamId: callStreamId(callId),
      command: {
        type: 'ReportSignal',
        data: {
          callId,
          customerId: metadata.customerId,
          signalId: report.signalId,
          signal: report.signal,
          cause: report.cause,
          at: report.at ?? this.clock.now().toISOString(),
        },
      },
      metadata,
      ifMatch,
    });
    await this.readYourWrites.waitFor(outcome.position, [CALL_HISTORY]);
    return outcome;
  }
}
