import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import type { ConferencecallOutcome } from '../conference-outcome';
import { JoinConferenceCommand } from './join-conference.command';
import { JoinProcess } from './join-process';

/**
 * Runs the join process for a new participant. Answers when the gateway has accepted the join (status
 * `joining`; `joined` follows when the gateway confirms), or with the refused rule (409) / 404.
 */
@CommandHandler(JoinConferenceCommand)
export class JoinConferenceHandler implements ICommandHandler<JoinConferenceCommand, ConferencecallOutcome> {
  constructor(
    private readonly process: JoinProcess,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  execute({ input, metadata }: JoinConferenceCommand): Promise<ConferencecallOutcome> {
    const participation = {
      conferencecallId: this.ids.newId(),
      conferenceId: input.conferenceId,
      callId: input.referenceId,
      customerId: metadata.customerId,
    };
    return this.process.join(participation, metadata);
  }
}
