import { assertNever, type DomainEvent } from '../domain/decider';

/**
 * A customer (tenant) and its API keys, stream `customer-<id>`. Keys are stored only as SHA-256 hashes:
 * they are 256-bit random values, so a fast hash is enough and the plain key is shown once, at issue.
 */
export type ApiKeyRole = 'admin' | 'user' | 'media';
export const API_KEY_ROLES: readonly ApiKeyRole[] = ['admin', 'user', 'media'];

export type CustomerCreated = DomainEvent<
  'CustomerCreated',
  { customer_id: string; name: string; created_at: string }
>;
export type ApiKeyIssued = DomainEvent<
  'ApiKeyIssued',
  { customer_id: string; key_id: string; role: ApiKeyRole; key_hash: string; issued_at: string }
>;
export type ApiKeyRevoked = DomainEvent<
  'ApiKeyRevoked',
  { customer_id: string; key_id: string; revoked_at: string }
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

export const customerStreamId = (customerId: string) => `customer-${customerId}`;

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerCreated':
      return {
        exists: true,
        id: event.data.customer_id,
        name: event.data.name,
        createdAt: event.data.created_at,
        keys: {},
      };
    case 'ApiKeyIssued': {
      if (!state.exists) return state;
      const key: ApiKeyState = {
        id: event.data.key_id,
        role: event.data.role,
        issuedAt: event.data.issued_at,
        revokedAt: null,
      };
      return { ...state, keys: { ...state.keys, [key.id]: key } };
    }
    case 'ApiKeyRevoked': {
      if (!state.exists) return state;
      const key = state.keys[event.data.key_id];
      if (!key) return state;
      return { ...state, keys: { ...state.keys, [key.id]: { ...key, revokedAt: event.data.revoked_at } } };
    }
    default:
      return assertNever(event);
  }
}
