import { describeLeaseStoreContract } from './contract/lease-store.contract';
import { ALL_SUBSCRIPTION_BACKENDS } from './contract/subscription-backends';

for (const backend of ALL_SUBSCRIPTION_BACKENDS) describeLeaseStoreContract(backend);
