import type { CustomerEvent } from '../../src/tenants/customer';
import { type CustomerCommand, customerDecider } from '../../src/tenants/customer.decider';
import { spec } from '../support/decider-spec';

const at = '2026-01-01T00:00:00.000Z';
const later = '2026-01-02T00:00:00.000Z';
const customerId = 'c-1';

const created: CustomerEvent = {
  type: 'CustomerCreated',
  data: { customerId: customerId, name: 'Acme', createdAt: at },
};
const firstKey: CustomerEvent = {
  type: 'ApiKeyIssued',
  data: { customerId: customerId, keyId: 'k-1', role: 'user', keyHash: 'h1', issuedAt: at },
};
const create: CustomerCommand = {
  type: 'CreateCustomer',
  customerId,
  name: 'Acme',
  at,
  firstKey: { keyId: 'k-1', role: 'user', keyHash: 'h1' },
};

describe('customer decider', () => {
  it('creates a customer together with its first key', () => {
    spec(customerDecider).given([]).when(create).then([created, firstKey]);
  });

  it('refuses to create a customer twice', () => {
    spec(customerDecider).given([created, firstKey]).when(create).thenRejects('customer.already_exists');
  });

  it('issues another key with a role', () => {
    spec(customerDecider)
      .given([created, firstKey])
      .when({ type: 'IssueApiKey', customerId, keyId: 'k-2', role: 'media', keyHash: 'h2', at: later })
      .then([
        {
          type: 'ApiKeyIssued',
          data: { customerId: customerId, keyId: 'k-2', role: 'media', keyHash: 'h2', issuedAt: later },
        },
      ]);
  });

  it('issuing the same key id again changes nothing', () => {
    spec(customerDecider)
      .given([created, firstKey])
      .when({ type: 'IssueApiKey', customerId, keyId: 'k-1', role: 'user', keyHash: 'h1', at: later })
      .thenNothing();
  });

  it('refuses keys for an unknown customer', () => {
    spec(customerDecider)
      .given([])
      .when({ type: 'IssueApiKey', customerId, keyId: 'k-2', role: 'user', keyHash: 'h2', at })
      .thenRejects('customer.not_found');
  });

  it('revokes a key once; revoking again changes nothing', () => {
    const revoked: CustomerEvent = {
      type: 'ApiKeyRevoked',
      data: { customerId: customerId, keyId: 'k-1', revokedAt: later },
    };
    const revoke: CustomerCommand = { type: 'RevokeApiKey', customerId, keyId: 'k-1', at: later };
    spec(customerDecider).given([created, firstKey]).when(revoke).then([revoked]);
    spec(customerDecider).given([created, firstKey, revoked]).when(revoke).thenNothing();
  });

  it('revoking an unknown key is not found', () => {
    spec(customerDecider)
      .given([created, firstKey])
      .when({ type: 'RevokeApiKey', customerId, keyId: 'nope', at: later })
      .thenRejects('api_key.not_found');
  });
});
