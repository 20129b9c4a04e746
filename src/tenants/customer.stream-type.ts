import type { StreamType } from '../command-handling/stream-type';
import { CUSTOMER_STREAM_PREFIX, type CustomerEvent, type CustomerState } from './customer';
import { type CustomerCommand, customerDecider, customerNotFound } from './customer.decider';
import { TENANT_DIRECTORY } from './tenant-directory/tenant-directory.projection';

/**
 * The customer stream type: `customer-<id>`. A customer owns itself; the admin routes act on behalf of the
 * customer they name (metadata `customerId` = that customer), so an unknown id is the only not-found here.
 */
export const customerStream: StreamType<CustomerCommand, CustomerEvent, CustomerState> = {
  streamPrefix: CUSTOMER_STREAM_PREFIX,
  decider: customerDecider,
  ownerOf: (state) => (state.exists ? state.id : null),
  notFound: customerNotFound,
  creates: (command) => command.type === 'CreateCustomer',
  // A key must authenticate, or be refused, the moment its issue or revoke has answered.
  readModels: [TENANT_DIRECTORY],
};
