import {
  type CallbackSecretRotated,
  callbackSecretDecider,
  evolveCallbackSecret,
} from '../../../src/webhooks/call-callbacks/callback-secret';
import { signingSecretsAt } from '../../../src/webhooks/webhook-endpoint';
import { spec } from '../../support/decider-spec';

const A = 'customer-a';
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T01:00:00.000Z';
const T2 = '2026-01-01T02:00:00.000Z';
const rotated = (
  secret: string,
  at: string,
  previousSecretExpiresAt: string | null,
): CallbackSecretRotated => ({
  type: 'CallbackSecretRotated',
  data: { customerId: A, secret, previousSecretExpiresAt, at },
});
const rotate = (secret: string, at: string) => ({
  type: 'RotateCallbackSecret' as const,
  data: { customerId: A, secret, at },
});
const secrets = spec(callbackSecretDecider);

describe('tenant callback secret', () => {
  it('the first rotation creates the secret, with no previous one to keep', () => {
    secrets
      .given([])
      .when(rotate('whsec_one', T0))
      .then([rotated('whsec_one', T0, null)]);
  });

  it('a later rotation keeps the previous secret signing for 24 h', () => {
    secrets
      .given([rotated('whsec_one', T0, null)])
      .when(rotate('whsec_two', T1))
      .then([rotated('whsec_two', T1, '2026-01-02T01:00:00.000Z')]);
  });

  it('signs with both secrets during the overlap, then with the new one only; older ones stop at once', () => {
    const state = [
      rotated('whsec_one', T0, null),
      rotated('whsec_two', T1, '2026-01-02T01:00:00.000Z'),
      rotated('whsec_three', T2, '2026-01-02T02:00:00.000Z'),
    ].reduce(evolveCallbackSecret, null);
    expect(state?.tmCreate).toBe(T0);
    expect(signingSecretsAt(state?.secrets ?? [], new Date(T2))).toEqual(['whsec_three', 'whsec_two']);
    expect(signingSecretsAt(state?.secrets ?? [], new Date('2026-01-03T00:00:00.000Z'))).toEqual([
      'whsec_three',
    ]);
  });
});
