import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { UpdateConference } from '../conference.decider';

/** PUT /v1/conferences/:id. Absent fields keep their value; `ifMatch` is the client's If-Match revision. */
export class UpdateConferenceCommand {
  constructor(
    readonly conferenceId: string,
    readonly changes: Omit<UpdateConference['data'], 'conferenceId' | 'customerId' | 'at'>,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
