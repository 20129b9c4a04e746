import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { causedBy } from '../../command-handling/command-metadata';
import { DomainError } from '../../domain/domain-error';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import type { ConferenceTerminationStarted } from '../conference';
import { CONFERENCE_STREAM_PREFIX } from '../conference-stream';
import { KickConferencecallCommand } from '../kick-conferencecall/kick-conferencecall.command';

/**
 * A terminating conference kicks everyone it had at that moment (nobody can be admitted after). The last
 * removal then terminates it (conference decider). Kicks are idempotent, so a retried event kicks again
 * harmlessly; one participant's final refusal must not stop the others' kicks.
 */
@Injectable()
export class TerminationKickReactor implements Reactor {
  readonly name = 'conferences.termination-kick';
  readonly filter = {
    eventTypes: ['ConferenceTerminationStarted'],
    streamPrefixes: [CONFERENCE_STREAM_PREFIX],
  };
  private readonly logger = new Logger(TerminationKickReactor.name);

  constructor(private readonly commands: CommandBus) {}

  async react(event: RecordedEvent): Promise<void> {
    const data = event.data as ConferenceTerminationStarted['data'];
    const metadata = causedBy(event, 'system:conference-termination');
    for (const conferencecallId of data.conferencecallIds) {
      try {
        await this.commands.execute(new KickConferencecallCommand(conferencecallId, metadata));
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind === 'conflict' || error.kind === 'unavailable')
          throw error;
        this.logger.error(`cannot kick ${conferencecallId} of ${data.conferenceId}: ${error.code}`);
      }
    }
  }
}
