import type { DomainEvent } from '../domain/decider';
import { assertNever } from '../domain/decider';

/**
 * The webhook endpoint aggregate: where a tenant wants its public events POSTed, which types, and the
 * secrets that sign them. Events, state and evolve; pure. Streams `webhook-endpoint-<id>`.
 *
 * Secrets live in the events (every instance must be able to sign); they are shown to the client once, at
 * creation or rotation. After a rotation the previous secret keeps signing until `expiresAt`, so receivers
 * can switch without losing a delivery.
 */
export type DisabledReason = 'gone' | 'failing';

export interface SigningSecret {
  secret: string;
  /** null = current; otherwise it stops signing at this instant. */
  expiresAt: string | null;
}

export interface WebhookEndpoint {
  id: string;
  customerId: string;
  url: string;
  /** Type patterns (`call.*`, `conference.terminated`); null = every type. */
  eventTypes: string[] | null;
  description: string;
  enabled: boolean;
  /** Why the system disabled it (410 from the receiver, failing 5 days); null when enabled or by the client. */
  disabledReason: DisabledReason | null;
  secrets: SigningSecret[];
  deleted: boolean;
  tmCreate: string;
  tmUpdate: string;
}

export type WebhookEndpointState = WebhookEndpoint | null;

export type WebhookEndpointCreated = DomainEvent<
  'WebhookEndpointCreated',
  {
    endpointId: string;
    customerId: string;
    url: string;
    eventTypes: string[] | null;
    description: string;
    enabled: boolean;
    secret: string;
    at: string;
  }
>;
/** Carries every updatable field with its new value. */
export type WebhookEndpointUpdated = DomainEvent<
  'WebhookEndpointUpdated',
  {
    endpointId: string;
    url: string;
    eventTypes: string[] | null;
    description: string;
    enabled: boolean;
    at: string;
  }
>;
export type WebhookEndpointSecretRotated = DomainEvent<
  'WebhookEndpointSecretRotated',
  { endpointId: string; secret: string; previousSecretExpiresAt: string; at: string }
>;
/** The system turned it off; a client re-enables it with PATCH `enabled: true`. */
export type WebhookEndpointDisabled = DomainEvent<
  'WebhookEndpointDisabled',
  { endpointId: string; reason: DisabledReason; at: string }
>;
export type WebhookEndpointDeleted = DomainEvent<
  'WebhookEndpointDeleted',
  { endpointId: string; at: string }
>;

export type WebhookEndpointEvent =
  | WebhookEndpointCreated
  | WebhookEndpointUpdated
  | WebhookEndpointSecretRotated
  | WebhookEndpointDisabled
  | WebhookEndpointDeleted;

export const initialWebhookEndpointState: WebhookEndpointState = null;

export function evolveWebhookEndpoint(
  state: WebhookEndpointState,
  event: WebhookEndpointEvent,
): WebhookEndpointState {
  if (event.type === 'WebhookEndpointCreated') {
    const d = event.data;
    return {
      id: d.endpointId,
      customerId: d.customerId,
      url: d.url,
      eventTypes: d.eventTypes,
      description: d.description,
      enabled: d.enabled,
      disabledReason: null,
      secrets: [{ secret: d.secret, expiresAt: null }],
      deleted: false,
      tmCreate: d.at,
      tmUpdate: d.at,
    };
  }
  if (state === null) return state;
  switch (event.type) {
    case 'WebhookEndpointUpdated': {
      const { url, eventTypes, description, enabled, at } = event.data;
      const disabledReason = enabled ? null : state.disabledReason;
      return { ...state, url, eventTypes, description, enabled, disabledReason, tmUpdate: at };
    }
    case 'WebhookEndpointSecretRotated': {
      const { secret, previousSecretExpiresAt, at } = event.data;
      // Only the secret current until now keeps a grace period; older ones stop at once.
      const previous = state.secrets.find((s) => s.expiresAt === null);
      const kept = previous ? [{ secret: previous.secret, expiresAt: previousSecretExpiresAt }] : [];
      return { ...state, secrets: [{ secret, expiresAt: null }, ...kept], tmUpdate: at };
    }
    case 'WebhookEndpointDisabled':
      return { ...state, enabled: false, disabledReason: event.data.reason, tmUpdate: event.data.at };
    case 'WebhookEndpointDeleted':
      return { ...state, deleted: true, enabled: false, tmUpdate: event.data.at };
    default:
      return assertNever(event);
  }
}

/** The secrets that sign a delivery made at `now`. */
export function signingSecretsAt(secrets: readonly SigningSecret[], now: Date): string[] {
  return secrets.filter((s) => s.expiresAt === null || new Date(s.expiresAt) > now).map((s) => s.secret);
}

export const WEBHOOK_ENDPOINT_STREAM_PREFIX = 'webhook-endpoint-';
export const webhookEndpointStreamId = (endpointId: string) =>
  `${WEBHOOK_ENDPOINT_STREAM_PREFIX}${endpointId}`;
export const endpointIdFromStream = (streamId: string): string | null =>
  streamId.startsWith(WEBHOOK_ENDPOINT_STREAM_PREFIX)
    ? streamId.slice(WEBHOOK_ENDPOINT_STREAM_PREFIX.length)
    : null;
