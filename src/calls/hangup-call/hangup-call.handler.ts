import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { callDecider } from '../call.decider';
import { CALL_HISTORY } from '../call-history/call-history.projection';
import { callStreamId } from '../call-stream';
import type { CallOutcome } from '../make-call/make-call.handler';
import { HangupCallCommand } from './hangup-call.command';

/** Local hangup; a second hangup is a no-op that returns the current state (the decider decides nothing). */
@CommandHandler(HangupCallCommand)
export class HangupCallHandler implements ICommandHandler<HangupCallCommand, CallOutcome> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ callId, endTime, metadata, ifMatch }: HangupCallCommand): Promise<CallOutcome> {
    const outcome = await this.executor.execute({
      decider: callDecider,
      streamId: callStreamId(callId),
      command: {
        type: 'HangupCall',
        data: { callId, customerId: metadata.customerId, at: this.clock.now().toISOString(), endTime },
      },
      metadata,
      ifMatch,
    });
    await this.readYourWrites.waitFor(outcome.position, [CALL_HISTORY]);
    return outcome;
  }
}
