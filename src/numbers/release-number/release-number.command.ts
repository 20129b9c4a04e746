import type { CommandMetadata } from '../../command-handling/command-metadata';

/** DELETE /v1/numbers/:id: give the number up; anyone may register it again. */
export class ReleaseNumberCommand {
  constructor(
    readonly numberId: string,
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
