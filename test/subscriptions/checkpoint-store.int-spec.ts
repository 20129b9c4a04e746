import { describeCheckpointStoreContract } from './contract/checkpoint-store.contract';
import { ALL_SUBSCRIPTION_BACKENDS } from './contract/subscription-backends';

for (const backend of ALL_SUBSCRIPTION_BACKENDS) describeCheckpointStoreContract(backend);
