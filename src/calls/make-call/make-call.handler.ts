import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, type CommandOutcome } from '../../command-handling/command-executor';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import type { CallEvent, CallState } from '../call';
import { callDecider, type MakeCall } from '../call.decider';
import { CALL_HISTORY } from '../call-history/call-history.projection';
import { callStreamId } from '../call-stream';
import { MakeCallCommand } from './make-call.command';

export type CallOutcome = CommandOutcome<CallEvent, CallState>;

/**
 * Creates the call, chaining it to its master first when it has one. The order matters: the master's
 * stream decides whether chaining is still allowed (an ending master refuses, 409), and only a chained
 * call may exist, so a master that hangs up can never miss a call made with it. The creation is checked
 * against the new call's stream BEFORE chaining, so a refused create (taken id, bad input) leaves no
 * dangling chain behind. (A concurrent create of the same id between the check and the append can still
 * leave the master chained to a call of someone else's request; the chained-hangup saga then hangs up a
 * call that was made with this master anyway, so nothing is lost.)
 */
@CommandHandler(MakeCallCommand)
export class MakeCallHandler implements ICommandHandler<MakeCallCommand, CallOutcome> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ input, metadata }: MakeCallCommand): Promise<CallOutcome> {
    const { callId: requestedId, ...settings } = input;
    const callId = requestedId ?? this.ids.newId();
    const at = this.clock.now().toISOString();
    const command: MakeCall = {
      type: 'MakeCall',
      data: { ...settings, callId, customerId: metadata.customerId, at },
    };
    const streamId = callStreamId(callId);

    const masterCallId = settings.masterCallId ?? null;
    if (masterCallId !== null) {
      // Throws the creation's own refusal (409 taken id, 422 bad settings) before the master is touched.
      const current = await this.executor.load(callDecider, streamId);
      callDecider.decide(command, current.state);
      await this.executor.execute({
        decider: callDecider,
        streamId: callStreamId(masterCallId),
        command: {
          type: 'ChainCall',
          data: { callId: masterCallId, customerId: metadata.customerId, at, chainedCallId: callId },
        },
        metadata,
      });
    }

    const outcome = await this.executor.execute({ decider: callDecider, streamId, command, metadata });
    await this.readYourWrites.waitFor(outcome.position, [CALL_HISTORY]);
    return outcome;
  }
}
