import type { Decider, DomainEvent } from '../../domain/decider';
import type { SigningSecret } from '../webhook-endpoint';
import { ROTATION_GRACE_MS } from '../webhook-endpoint.decider';

/**
 * The tenant's callback secret: what signs every per-call `status_callback` delivery of that tenant (as
 * Twilio signs with the account's token). One stream per tenant, `callback-secret-<customerId>`, pure.
 * There is one command: rotate. The first rotation creates the secret; each later one makes a new secret
 * current while the previous one keeps signing for 24 h, like a webhook endpoint's rotate-secret, so a
 * receiver can switch without a failed verification. Secrets are shown only in the rotation's answer.
 */
export interface CallbackSecret {
  customerId: string;
  secrets: SigningSecret[];
  tmCreate: string;
  tmUpdate: string;
}
export type CallbackSecretState = CallbackSecret | null;

export type CallbackSecretRotated = DomainEvent<
  'CallbackSecretRotated',
  {
    customerId: string;
    secret: string;
    /** When the secret current until now stops signing; null on the first rotation (there was none). */
    previousSecretExpiresAt: string | null;
    at: string;
  }
>;
export type CallbackSecretEvent = CallbackSecretRotated;

export type RotateCallbackSecret = {
  type: 'RotateCallbackSecret';
  data: { customerId: string; secret: string; at: string };
};
export type CallbackSecretCommand = RotateCallbackSecret;

export const initialCallbackSecretState: CallbackSecretState = null;

export function decideCallbackSecret(
  command: CallbackSecretCommand,
  state: CallbackSecretState,
): CallbackSecretEvent[] {
  const { customerId, secret, at } = command.data;
  const previousSecretExpiresAt =
    state === null ? null : new Date(Date.parse(at) + ROTATION_GRACE_MS).toISOString();
  return [{ type: 'CallbackSecretRotated', data: { customerId, secret, previousSecretExpiresAt, at } }];
}

export function evolveCallbackSecret(
  state: CallbackSecretState,
  event: CallbackSecretEvent,
): CallbackSecretState {
  const { customerId, secret, previousSecretExpiresAt, at } = event.data;
  // Only the secret current until now keeps a grace period; older ones stop at once.
  const previous = state?.secrets.find((s) => s.expiresAt === null);
  const kept =
    previous && previousSecretExpiresAt !== null
      ? [{ secret: previous.secret, expiresAt: previousSecretExpiresAt }]
      : [];
  return {
    customerId,
    secrets: [{ secret, expiresAt: null }, ...kept],
    tmCreate: state?.tmCreate ?? at,
    tmUpdate: at,
  };
}

export const callbackSecretDecider: Decider<CallbackSecretCommand, CallbackSecretEvent, CallbackSecretState> =
  {
    decide: decideCallbackSecret,
    evolve: evolveCallbackSecret,
    initialState: initialCallbackSecretState,
  };

export const CALLBACK_SECRET_STREAM_PREFIX = 'callback-secret-';
export const callbackSecretStreamId = (customerId: string) => `${CALLBACK_SECRET_STREAM_PREFIX}${customerId}`;
