import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { ConferencecallReferenceType } from '../conferencecall';

/** POST /v1/conferencecalls: put a call into a conference (the join process). */
export class JoinConferenceCommand {
  constructor(
    readonly input: { conferenceId: string; referenceType: ConferencecallReferenceType; referenceId: string },
    readonly metadata: CommandMetadata,
  ) {}
}
