import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '../command-handling/command-executor';
import { ReadYourWrites } from '../command-handling/read-your-writes';
import { ExecuteWebhookEndpointCommand } from './execute-webhook-endpoint.command';
import type { WebhookEndpoint } from './webhook-endpoint';
import { webhookEndpointStreamId } from './webhook-endpoint';
import { webhookEndpointDecider } from './webhook-endpoint.decider';
import { WEBHOOK_ENDPOINTS_PROJECTION } from './webhook-endpoints.projection';

export interface EndpointOutcome {
  endpoint: WebhookEndpoint;
  revision: bigint;
}

@CommandHandler(ExecuteWebhookEndpointCommand)
export class ExecuteWebhookEndpointHandler
  implements ICommandHandler<ExecuteWebhookEndpointCommand, EndpointOutcome>
{
  constructor(
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute({ endpointId, command, metadata }: ExecuteWebhookEndpointCommand): Promise<EndpointOutcome> {
    const outcome = await this.executor.execute({
      decider: webhookEndpointDecider,
      streamId: webhookEndpointStreamId(endpointId),
      command,
      metadata,
    });
    await this.readYourWrites.waitFor(outcome.position, [WEBHOOK_ENDPOINTS_PROJECTION]);
    // The decider throws for an absent endpoint, so a returning command always leaves one.
    return { endpoint: outcome.state as WebhookEndpoint, revision: outcome.revision as bigint };
  }
}
