import { assertNever, type Decider } from '../domain/decider';
import { notFound, ruleViolated } from '../domain/domain-error';
import {
  type DisabledReason,
  evolveWebhookEndpoint,
  initialWebhookEndpointState,
  type WebhookEndpoint,
  type WebhookEndpointEvent,
  type WebhookEndpointState,
} from './webhook-endpoint';

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export interface EndpointSettings {
  url: string;
  eventTypes: string[] | null;
  description: string;
  enabled: boolean;
}

export type WebhookEndpointCommand =
  | {
      type: 'CreateWebhookEndpoint';
      data: EndpointSettings & { endpointId: string; customerId: string; secret: string; at: string };
    }
  | { type: 'UpdateWebhookEndpoint'; data: Partial<EndpointSettings> & { customerId: string; at: string } }
  | { type: 'RotateWebhookEndpointSecret'; data: { customerId: string; secret: string; at: string } }
  | { type: 'DisableWebhookEndpoint'; data: { reason: DisabledReason; at: string } }
  | { type: 'DeleteWebhookEndpoint'; data: { customerId: string; at: string } };

/** Unknown, deleted and foreign endpoints are the same 404. */
function visible(state: WebhookEndpointState, customerId: string | null): WebhookEndpoint {
  if (state === null || state.deleted || (customerId !== null && state.customerId !== customerId))
    throw notFound('webhook_endpoint.not_found', 'Webhook endpoint not found');
  return state;
}

export function decideWebhookEndpoint(
  command: WebhookEndpointCommand,
  state: WebhookEndpointState,
): WebhookEndpointEvent[] {
  switch (command.type) {
    case 'CreateWebhookEndpoint': {
      if (state !== null)
        throw ruleViolated('webhook_endpoint.already_exists', 'This webhook endpoint already exists');
      return [{ type: 'WebhookEndpointCreated', data: { ...command.data } }];
    }
    case 'UpdateWebhookEndpoint': {
      const endpoint = visible(state, command.data.customerId);
      const next = {
        url: command.data.url ?? endpoint.url,
        eventTypes: command.data.eventTypes === undefined ? endpoint.eventTypes : command.data.eventTypes,
        description: command.data.description ?? endpoint.description,
        enabled: command.data.enabled ?? endpoint.enabled,
      };
      const unchanged =
        next.url === endpoint.url &&
        JSON.stringify(next.eventTypes) === JSON.stringify(endpoint.eventTypes) &&
        next.description === endpoint.description &&
        next.enabled === endpoint.enabled;
      if (unchanged) return [];
      return [
        { type: 'WebhookEndpointUpdated', data: { endpointId: endpoint.id, ...next, at: command.data.at } },
      ];
    }
    case 'RotateWebhookEndpointSecret': {
      const endpoint = visible(state, command.data.customerId);
      const previousSecretExpiresAt = new Date(Date.parse(command.data.at) + ROTATION_GRACE_MS).toISOString();
      return [
        {
          type: 'WebhookEndpointSecretRotated',
          data: {
            endpointId: endpoint.id,
            secret: command.data.secret,
            previousSecretExpiresAt,
            at: command.data.at,
          },
        },
      ];
    }
    case 'DisableWebhookEndpoint': {
      // The system's own command: no tenant check, and disabling twice (two failing deliveries) is a no-op.
      const endpoint = visible(state, null);
      if (!endpoint.enabled) return [];
      return [{ type: 'WebhookEndpointDisabled', data: { endpointId: endpoint.id, ...command.data } }];
    }
    case 'DeleteWebhookEndpoint': {
      const endpoint = visible(state, command.data.customerId);
      return [{ type: 'WebhookEndpointDeleted', data: { endpointId: endpoint.id, at: command.data.at } }];
    }
    default:
      return assertNever(command);
  }
}

export const webhookEndpointDecider: Decider<
  WebhookEndpointCommand,
  WebhookEndpointEvent,
  WebhookEndpointState
> = {
  decide: decideWebhookEndpoint,
  evolve: evolveWebhookEndpoint,
  initialState: initialWebhookEndpointState,
};
