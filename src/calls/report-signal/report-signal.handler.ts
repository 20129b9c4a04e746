import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { callStream } from '../call.stream-type';
import type { CallOutcome } from '../call-outcome';
import { ReportSignalCommand } from './report-signal.command';

/**
 * A media layer's signal. The time is the gateway's own observation when it gives one (the simulated
 * gateway does), else now. Redelivery with the same signal id decides nothing and returns the current state.
 */
@CommandHandler(ReportSignalCommand)
export class ReportSignalHandler implements ICommandHandler<ReportSignalCommand, CallOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ callId, report, metadata, ifMatch }: ReportSignalCommand): Promise<CallOutcome> {
    const { signalId, signal, cause } = report;
    const at = report.at ?? this.clock.now().toISOString();
    return this.commands.run(
      callStream,
      callId,
      {
        type: 'ReportSignal',
        data: { callId, customerId: metadata.customerId, signalId, signal, cause, at },
      },
      metadata,
      { ifMatch },
    );
  }
}
