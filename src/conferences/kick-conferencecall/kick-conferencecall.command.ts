import type { CommandMetadata } from '../../command-handling/command-metadata';

/**
 * DELETE /v1/conferencecalls/:id, and the saga kicking everyone out of a terminating conference.
 * `joining`/`joined` → `leaving`; already leaving or gone: a no-op returning the current state.
 */
export class KickConferencecallCommand {
  constructor(
    readonly conferencecallId: string,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
