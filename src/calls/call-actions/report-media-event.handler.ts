import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { callStream } from '../call.stream-type';
import type { CallOutcome } from '../call-outcome';
import { ReportMediaEventCommand } from './report-media-event.command';

/** Like ReportSignal: the gateway's own observation time when it gives one, else now. */
@CommandHandler(ReportMediaEventCommand)
export class ReportMediaEventHandler implements ICommandHandler<ReportMediaEventCommand, CallOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ callId, report, metadata, ifMatch }: ReportMediaEventCommand): Promise<CallOutcome> {
    const { at: observed, ...fields } = report;
    const at = observed ?? this.clock.now().toISOString();
    return this.commands.run(
      callStream,
      callId,
      { type: 'ReportMediaEvent', data: { callId, customerId: metadata.customerId, at, ...fields } },
      metadata,
      { ifMatch },
    );
  }
}
