import {
  evolveWebhookEndpoint,
  signingSecretsAt,
  type WebhookEndpointCreated,
  type WebhookEndpointEvent,
} from '../../src/webhooks/webhook-endpoint';
import { webhookEndpointDecider } from '../../src/webhooks/webhook-endpoint.decider';
import { spec } from '../support/decider-spec';

const ID = '00000000-0000-7000-8000-0000000000e1';
const A = 'customer-a';
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T01:00:00.000Z';
const settings = { url: 'https://hooks.example.com/a', eventTypes: null, description: 'crm', enabled: true };

const created: WebhookEndpointCreated = {
  type: 'WebhookEndpointCreated',
  data: { endpointId: ID, customerId: A, ...settings, secret: 'whsec_one', at: T0 },
};
const deleted: WebhookEndpointEvent = { type: 'WebhookEndpointDeleted', data: { endpointId: ID, at: T1 } };
const disabled: WebhookEndpointEvent = {
  type: 'WebhookEndpointDisabled',
  data: { endpointId: ID, reason: 'gone', at: T1 },
};
const endpoints = spec(webhookEndpointDecider);

describe('webhook endpoint decider', () => {
  it('creates an endpoint once', () => {
    const create = {
      type: 'CreateWebhookEndpoint' as const,
      data: { endpointId: ID, customerId: A, ...settings, secret: 'whsec_one', at: T0 },
    };
    endpoints.given([]).when(create).then([created]);
    endpoints.given([created]).when(create).thenRejects('webhook_endpoint.already_exists');
  });

  it('updates only what changed, and nothing when nothing did', () => {
    endpoints
      .given([created])
      .when({ type: 'UpdateWebhookEndpoint', data: { customerId: A, eventTypes: ['call.*'], at: T1 } })
      .then([
        {
          type: 'WebhookEndpointUpdated',
          data: { endpointId: ID, ...settings, eventTypes: ['call.*'], at: T1 },
        },
      ]);
    endpoints
      .given([created])
      .when({ type: 'UpdateWebhookEndpoint', data: { customerId: A, url: settings.url, at: T1 } })
      .thenNothing();
  });

  it('hides foreign and deleted endpoints behind the same not_found', () => {
    const update = { type: 'UpdateWebhookEndpoint' as const, data: { customerId: 'customer-b', at: T1 } };
    endpoints.given([created]).when(update).thenRejects('webhook_endpoint.not_found');
    endpoints
      .given([created, deleted])
      .when({ type: 'DeleteWebhookEndpoint', data: { customerId: A, at: T1 } })
      .thenRejects('webhook_endpoint.not_found');
    endpoints
      .given([])
      .when({ type: 'RotateWebhookEndpointSecret', data: { customerId: A, secret: 's', at: T1 } })
      .thenRejects('webhook_endpoint.not_found');
  });

  it('rotates the secret: both sign for 24 h, then only the new one', () => {
    const rotated: WebhookEndpointEvent = {
      type: 'WebhookEndpointSecretRotated',
      data: {
        endpointId: ID,
        secret: 'whsec_two',
        previousSecretExpiresAt: '2026-01-02T01:00:00.000Z',
        at: T1,
      },
    };
    endpoints
      .given([created])
      .when({ type: 'RotateWebhookEndpointSecret', data: { customerId: A, secret: 'whsec_two', at: T1 } })
      .then([rotated]);
    const state = [created, rotated].reduce(evolveWebhookEndpoint, null);
    expect(signingSecretsAt(state?.secrets ?? [], new Date('2026-01-02T00:59:59.000Z'))).toEqual([
      'whsec_two',
      'whsec_one',
    ]);
    expect(signingSecretsAt(state?.secrets ?? [], new Date('2026-01-02T01:00:00.000Z'))).toEqual([
      'whsec_two',
    ]);
  });

  it('is disabled by the system once; a client re-enables it', () => {
    const disable = { type: 'DisableWebhookEndpoint' as const, data: { reason: 'gone' as const, at: T1 } };
    endpoints.given([created]).when(disable).then([disabled]);
    endpoints.given([created, disabled]).when(disable).thenNothing();
    const reenabled = [created, disabled].reduce(evolveWebhookEndpoint, null);
    expect(reenabled).toMatchObject({ enabled: false, disabledReason: 'gone' });
    endpoints
      .given([created, disabled])
      .when({ type: 'UpdateWebhookEndpoint', data: { customerId: A, enabled: true, at: T1 } })
      .then([{ type: 'WebhookEndpointUpdated', data: { endpointId: ID, ...settings, at: T1 } }]);
  });
});
