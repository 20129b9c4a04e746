import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { invalid } from '../../domain/domain-error';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { callbackSecretDecider, callbackSecretStreamId } from '../../webhooks/call-callbacks/callback-secret';
import { callDecider, type MakeCall } from '../call.decider';
import { callStream } from '../call.stream-type';
import { withActionIds } from '../call-actions/queue-call-actions.handler';
import type { CallOutcome } from '../call-outcome';
import { callStreamId } from '../call-stream';
import { MakeCallCommand } from './make-call.command';

/**
 * Creates the call, chaining it to its master first when it has one. The order matters: the master's
 * stream decides whether chaining is still allowed (an ending master refuses, 409), and only a chained
 * call may exist, so a master that hangs up can never miss a call made with it. The creation is checked
 * against the new call's stream BEFORE chaining, so a refused create (taken id, bad input) leaves no
 * dangling chain behind. (A concurrent create of the same id between the check and the append can still
 * leave the master chained to a call of someone else's request; the chained-hangup saga then hangs up a
 * call that was made with this master anyway, so nothing is lost.)
 *
 * A generated id is time-ordered and new, so its stream is not read: the append expects `no_stream`.
 *
 * A `status_callback` is signed with the tenant's callback secret; without one every delivery would fail,
 * so the call is refused (422) until the tenant has rotated one in. Read from the secret's stream, not a
 * read model: a rotation answered on another instance counts at once.
 */
@CommandHandler(MakeCallCommand)
export class MakeCallHandler implements ICommandHandler<MakeCallCommand, CallOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ input, metadata }: MakeCallCommand): Promise<CallOutcome> {
    const { callId: requestedId, actions, ...rest } = input;
    const settings = { ...rest, ...(actions ? { actions: withActionIds(actions, this.ids) } : {}) };
    const callId = requestedId ?? this.ids.newId();
    const at = this.clock.now().toISOString();
    const customerId = metadata.customerId;
    const command: MakeCall = { type: 'MakeCall', data: { ...settings, callId, customerId, at } };

    if (settings.statusCallback != null) await this.requireCallbackSecret(customerId);

    const masterCallId = settings.masterCallId ?? null;
    if (masterCallId !== null) {
      // Throws the creation's own refusal (409 taken id, 422 bad settings) before the master is touched.
      const current = await this.executor.load(callDecider, callStreamId(callId));
      callDecider.decide(command, current.state);
      await this.executor.run(
        callStream,
        masterCallId,
        { type: 'ChainCall', data: { callId: masterCallId, customerId, at, chainedCallId: callId } },
        metadata,
      );
    }
    return this.commands.run(callStream, callId, command, metadata, { fresh: requestedId === undefined });
  }

  private async requireCallbackSecret(customerId: string): Promise<void> {
    const { state } = await this.executor.load(callbackSecretDecider, callbackSecretStreamId(customerId));
    if (state === null)
      throw invalid(
        'call.no_callback_secret',
        'status_callback needs the tenant’s callback secret: create it with POST /v1/callback-secret/rotate first',
        { field: 'status_callback' },
      );
  }
}
