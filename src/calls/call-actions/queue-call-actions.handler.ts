import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../command-handling/command-runner';
import { CLOCK, type Clock } from '../../domain/clock';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import { callStream } from '../call.stream-type';
import type { CallAction, CallActionInput } from '../call-control';
import type { CallOutcome } from '../call-outcome';
import { QueueCallActionsCommand } from './queue-call-actions.command';

/** Ids for new actions: generated here, outside the decider (a transfer's leg reuses its action's id). */
export function withActionIds(actions: readonly CallActionInput[], ids: IdGenerator): CallAction[] {
  return actions.map((action) => ({ id: ids.newId(), ...action }));
}

@CommandHandler(QueueCallActionsCommand)
export class QueueCallActionsHandler implements ICommandHandler<QueueCallActionsCommand, CallOutcome> {
  constructor(
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ callId, actions, metadata, ifMatch }: QueueCallActionsCommand): Promise<CallOutcome> {
    const at = this.clock.now().toISOString();
    return this.commands.run(
      callStream,
      callId,
      {
        type: 'QueueCallActions',
        data: { callId, customerId: metadata.customerId, at, actions: withActionIds(actions, this.ids) },
      },
      metadata,
      { ifMatch },
    );
  }
}
