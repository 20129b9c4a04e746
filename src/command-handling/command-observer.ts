/**
 * How a command ended: `appended` new events, `unchanged` (a no-op), `rejected` (a rule or not found:
 * a DomainError), `conflict` (concurrent writers won every attempt), `stale` (If-Match), `failed` (anything
 * else, e.g. the store is unavailable).
 */
export type CommandResult = 'appended' | 'unchanged' | 'rejected' | 'conflict' | 'stale' | 'failed';

/** Optional hook of the CommandExecutor (metrics). Must be cheap and never throw. */
export interface CommandObserver {
  /** One per `execute()`: its result, the attempts it took and how long it ran. */
  executed(result: CommandResult, attempts: number, seconds: number): void;
}

export const COMMAND_OBSERVER = Symbol('COMMAND_OBSERVER');
