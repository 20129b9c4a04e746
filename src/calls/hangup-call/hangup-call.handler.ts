import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { callStream } from '../call.stream-type';
import type { CallOutcome } from '../call-outcome';
import { HangupCallCommand } from './hangup-call.command';

/** Local hangup; a second hangup is a no-op that returns the current state (the decider decides nothing). */
@CommandHandler(HangupCallCommand)
export class HangupCallHandler implements ICommandHandler<HangupCallCommand, CallOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ callId, endTime, metadata, ifMatch }: HangupCallCommand): Promise<CallOutcome> {
    const at = this.clock.now().toISOString();
    return this.commands.run(
      callStream,
      callId,
      { type: 'HangupCall', data: { callId, customerId: metadata.customerId, at, endTime } },
      metadata,
      { ifMatch },
    );
  }
}
