import type { CommandMetadata } from '../../command-handling/command-metadata';
import type { CallActionInput } from '../call-control';

/** Queue actions on an answered call (POST /v1/calls/:id/actions); the handler gives each its id. */
export class QueueCallActionsCommand {
  constructor(
    readonly callId: string,
    readonly actions: CallActionInput[],
    readonly metadata: CommandMetadata,
    readonly ifMatch?: bigint,
  ) {}
}
