import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { notFound } from '../../domain/domain-error';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { isRegistered } from '../../numbers/number';
import { numberDecider } from '../../numbers/number.decider';
import { numberStreamId } from '../../numbers/number-stream';
import { callStream } from '../call.stream-type';
import { withActionIds } from '../call-actions/queue-call-actions.handler';
import type { CallActionType } from '../call-control';
import type { CallOutcome } from '../call-outcome';
import { ReceiveInboundCallCommand } from './receive-inbound-call.command';

/**
 * Finds the number's owner on the number's own stream (the record, not a read model: a number registered
 * a moment ago on another instance already takes calls) and creates the incoming call for it with the
 * number's routing of this moment. A number nobody holds, or another tenant holds, is the same 404: a
 * media key only places calls to its own tenant's numbers.
 */
@CommandHandler(ReceiveInboundCallCommand)
export class ReceiveInboundCallHandler implements ICommandHandler<ReceiveInboundCallCommand, CallOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ input, metadata }: ReceiveInboundCallCommand): Promise<CallOutcome> {
    const { state: number } = await this.executor.load(numberDecider, numberStreamId(input.phoneNumber));
    if (!isRegistered(number) || number.customerId !== metadata.customerId)
      throw notFound('number.not_found', 'no number of yours is registered as this phone number', {
        field: 'number',
      });
    const callId = input.callId ?? this.ids.newId();
    return this.commands.run(
      callStream,
      callId,
      {
        type: 'ReceiveInboundCall',
        data: {
          callId,
          customerId: metadata.customerId,
          from: input.from,
          at: this.clock.now().toISOString(),
          numberId: number.numberId,
          phoneNumber: number.phoneNumber,
          onIncoming: number.onIncoming,
          conferenceId: number.conferenceId,
          actions: number.actions,
          ringTimeoutSec: number.ringTimeoutSec,
          // Call control: the number's actions, each with its id, queued with the call.
          queuedActions: withActionIds(
            number.actions.map(({ type, option }) => ({ type: type as CallActionType, option })),
            this.ids,
          ),
        },
      },
      metadata,
      { fresh: input.callId === undefined },
    );
  }
}
