import type { CommandMetadata } from '../command-handling/command-metadata';
import type { WebhookEndpointCommand } from './webhook-endpoint.decider';

/** Every endpoint use case (REST and the dispatcher's disable) is one decider command on one stream. */
export class ExecuteWebhookEndpointCommand {
  constructor(
    readonly endpointId: string,
    readonly command: WebhookEndpointCommand,
    readonly metadata: CommandMetadata,
  ) {}
}
