import { assertNever, type DomainEvent } from '../domain/decider';

/**
 * A customer (tenant) and its API keys, stream `customer-<id>`. Keys are stored only as SHA-256 hashes:
 * they are 256-bit random values, so a fast hash is enough and the plain key is shown once, at issue.
 */
export type ApiKeyRole = 'admin' | 'user' | 'media';
export const API_KEY_ROLES: readonly ApiKeyRole[] = ['admin', 'user', 'media'];

export type CustomerCreated = DomainEvent<
  'CustomerCreated',
  { customerId: string; name: string; createdAt: string }
>;
export type ApiKeyIssued = DomainEvent<
  'ApiKeyIssued',
  { customerId: string; keyId: string; role: ApiKeyRole; keyHash: string; issuedAt: string }
>;
export type ApiKeyRevoked = DomainEvent<
  'ApiKeyRevoked',
  { customerId: string; keyId: string; revokedAt: string }
>;

export type CustomerEvent = CustomerCreated | ApiKeyIssued | ApiKeyRevoked;

export interface ApiKeyState {
  id: string;
  role: ApiKeyRole;
  issuedAt: string;
  revokedAt: string | null;
}

export type CustomerState =
  | { exists: false }
  | { exists: true; id: string; name: string; createdAt: string; keys: Record<string, ApiKeyState> };

export const initialCustomerState: CustomerState = { exists: false };

export const CUSTOMER_STREAM_PREFIX = 'customer-';
export const customerStreamId = (customerId: string) => `${CUSTOMER_STREAM_PREFIX}${customerId}`;

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerCreated':
      return {
        exists: true,
        id: event.data.customerId,
        name: event.data.name,
        createdAt: event.data.createdAt,
        keys: {},
      };
    case 'ApiKeyIssued': {
      if (!state.exists) return state;
      const key: ApiKeyState = {
        id: event.data.keyId,
        role: event.data.role,
        issuedAt: event.data.issuedAt,
        revokedAt: null,
      };
      return { ...state, keys: { ...state.keys, [key.id]: key } };
    }
    case 'ApiKeyRevoked': {
      if (!state.exists) return state;
      const key = state.keys[event.data.keyId];
      if (!key) return state;
      return { ...state, keys: { ...state.keys, [key.id]: { ...key, revokedAt: event.data.revokedAt } } };
    }
    default:
      return assertNever(event);
  }
}
