import { assertNever, type Decider } from '../domain/decider';
import { notFound, ruleViolated } from '../domain/domain-error';
import {
  type ApiKeyRole,
  type CustomerEvent,
  type CustomerState,
  evolveCustomer,
  initialCustomerState,
} from './customer';

export type CreateCustomer = {
  type: 'CreateCustomer';
  customerId: string;
  name: string;
  at: string;
  /** The first key, issued in the same append so a customer never exists without one. */
  firstKey: { keyId: string; role: ApiKeyRole; keyHash: string };
};
export type IssueApiKey = {
  type: 'IssueApiKey';
  customerId: string;
  keyId: string;
  role: ApiKeyRole;
  keyHash: string;
  at: string;
};
export type RevokeApiKey = { type: 'RevokeApiKey'; customerId: string; keyId: string; at: string };

export type CustomerCommand = CreateCustomer | IssueApiKey | RevokeApiKey;

function decide(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'CreateCustomer': {
      if (state.exists)
        throw ruleViolated('customer.already_exists', `Customer ${command.customerId} already exists`);
      const { keyId, role, keyHash } = command.firstKey;
      return [
        {
          type: 'CustomerCreated',
          data: { customerId: command.customerId, name: command.name, createdAt: command.at },
        },
        {
          type: 'ApiKeyIssued',
          data: {
            customerId: command.customerId,
            keyId: keyId,
            role,
            keyHash: keyHash,
            issuedAt: command.at,
          },
        },
      ];
    }
    case 'IssueApiKey': {
      if (!state.exists) throw customerNotFound(command.customerId);
      if (state.keys[command.keyId]) return [];
      return [
        {
          type: 'ApiKeyIssued',
          data: {
            customerId: command.customerId,
            keyId: command.keyId,
            role: command.role,
            keyHash: command.keyHash,
            issuedAt: command.at,
          },
        },
      ];
    }
    case 'RevokeApiKey': {
      if (!state.exists) throw customerNotFound(command.customerId);
      const key = state.keys[command.keyId];
      if (!key) throw notFound('api_key.not_found', `API key ${command.keyId} not found`);
      if (key.revokedAt) return [];
      return [
        {
          type: 'ApiKeyRevoked',
          data: { customerId: command.customerId, keyId: command.keyId, revokedAt: command.at },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export const customerNotFound = (id: string) => notFound('customer.not_found', `Customer ${id} not found`);

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  decide,
  evolve: evolveCustomer,
  initialState: initialCustomerState,
};
