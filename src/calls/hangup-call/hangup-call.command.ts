import type { CommandMetadata } from '../../command-handling/command-metadata';

/**
 * End a call from our side (seed 000 PATCH with `end_time`, VoIPBIN POST hangup, chained-call saga).
 * `ifMatch` is the client's If-Match revision, when it sent one.
 */
export class HangupCallCommand {
  constructor(
    readonly callId: string,
    readonly endTime: string | null,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
