import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { callStream } from '../call.stream-type';
import type { CallOutcome } from '../call-outcome';
import { AnswerCallCommand } from './answer-call.command';

/**
 * Answers a ringing incoming call: the call is `progressing` at once, and the media layer learns it from
 * the event (`call.answered` on the feed) and bridges the caller. Answering again is a no-op.
 */
@CommandHandler(AnswerCallCommand)
export class AnswerCallHandler implements ICommandHandler<AnswerCallCommand, CallOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ callId, metadata, ifMatch }: AnswerCallCommand): Promise<CallOutcome> {
    const at = this.clock.now().toISOString();
    return this.commands.run(
      callStream,
      callId,
      { type: 'AnswerCall', data: { callId, customerId: metadata.customerId, at } },
      metadata,
      { ifMatch },
    );
  }
}
