import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { CreateConference } from '../conference.decider';

/** POST /v1/conferences. Id, tenant and time come from the handler and the metadata. */
export class CreateConferenceCommand {
  constructor(
    readonly input: Omit<CreateConference['data'], 'conferenceId' | 'customerId' | 'at'>,
    readonly metadata: CommandMetadata,
  ) {}
}
