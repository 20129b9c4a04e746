import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ReadYourWrites } from '../../command-handling/read-your-writes';
import { ID_GENERATOR, type IdGenerator } from '../../domain/id-generator';
import type { Versioned } from '../conference-result';
import { type ConferencecallView, conferencecallViewOf } from '../conference-view';
import { CONFERENCE_READ_MODELS } from '../conferences-read-model/conference-read-models';
import { JoinConferenceCommand } from './join-conference.command';
import { JoinProcess } from './join-process';

/**
 * Runs the join process for a new participant. Answers when the gateway has accepted the join (status
 * `joining`; `joined` follows when the gateway confirms), or with the refused rule (409) / 404.
 */
@CommandHandler(JoinConferenceCommand)
export class JoinConferenceHandler
  implements ICommandHandler<JoinConferenceCommand, Versioned<ConferencecallView>>
{
  constructor(
    private readonly process: JoinProcess,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute({ input, metadata }: JoinConferenceCommand): Promise<Versioned<ConferencecallView>> {
    const outcome = await this.process.join(
      {
        conferencecallId: this.ids.newId(),
        conferenceId: input.conferenceId,
        callId: input.referenceId,
        customerId: metadata.customerId,
      },
      metadata,
    );
    await this.readYourWrites.waitFor(outcome.position, CONFERENCE_READ_MODELS);
    return { view: conferencecallViewOf(outcome.participant, outcome.revision), revision: outcome.revision };
  }
}
