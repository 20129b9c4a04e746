import type { CommandMetadata } from '../../command-handling/command-metadata';

/**
 * A call came in to `phoneNumber` from `from` (media layer `POST /v1/calls/inbound`, or the simulator).
 * `callId` is the media layer's when it gives one (its retries then find the same call).
 */
export class ReceiveInboundCallCommand {
  constructor(
    readonly input: { phoneNumber: string; from: string; callId?: string },
    readonly metadata: CommandMetadata,
  ) {}
}
