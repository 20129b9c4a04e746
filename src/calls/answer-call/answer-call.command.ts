import type { CommandMetadata } from '../../command-handling/command-metadata';

/** POST /v1/calls/:id/answer, and the routing of `answer`/`join_conference` numbers. */
export class AnswerCallCommand {
  constructor(
    readonly callId: string,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
