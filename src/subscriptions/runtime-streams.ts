/**
 * Streams the subscription runtime writes for itself when its checkpoints and leases live in the event
 * store (`event-store/` adapters). They sit in `$all` like any other stream, so every consumer of `$all`
 * must skip them: no tenant may ever see them (their `customer_id` is `system`), and a consumer that
 * checkpointed BECAUSE it saw one would write a checkpoint event, see it, and write again forever.
 */
export const CHECKPOINT_STREAM_PREFIX = 'checkpoint-';
export const LEASE_STREAM_PREFIX = 'lease-';
export const RUNTIME_STREAM_PREFIXES: readonly string[] = [CHECKPOINT_STREAM_PREFIX, LEASE_STREAM_PREFIX];

/** True for a stream of the runtime's own bookkeeping (checkpoints, leases). */
export function isRuntimeStream(streamId: string): boolean {
  return RUNTIME_STREAM_PREFIXES.some((prefix) => streamId.startsWith(prefix));
}

export const checkpointStreamOf = (consumer: string): string => `${CHECKPOINT_STREAM_PREFIX}${consumer}`;
export const leaseStreamOf = (name: string): string => `${LEASE_STREAM_PREFIX}${name}`;
