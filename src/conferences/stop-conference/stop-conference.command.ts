import type { CommandMetadata } from '../../command-handling/command-metadata';

/**
 * POST /v1/conferences/:id/stop and DELETE /v1/conferences/:id. With participants the conference goes
 * `terminating` and a saga kicks each of them; empty, it is `terminated` at once. Stopping twice is a no-op.
 */
export class StopConferenceCommand {
  constructor(
    readonly conferenceId: string,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
