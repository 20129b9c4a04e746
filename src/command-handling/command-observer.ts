import type { CommandMetadata } from './command-metadata';

/**
 * How a command ended: `appended` new events, `unchanged` (a no-op), `rejected` (a rule or not found:
 * a DomainError), `conflict` (concurrent writers won every attempt), `stale` (If-Match), `failed` (anything
 * else, e.g. the store is unavailable).
 */
export type CommandResult = 'appended' | 'unchanged' | 'rejected' | 'conflict' | 'stale' | 'failed';

/** What was executed: the stream, the command (`{ type, data }`), who asked and why, and the error if any. */
export interface ExecutedCommand {
  readonly streamId: string;
  readonly command: unknown;
  readonly metadata: CommandMetadata;
  /** Events appended (0 unless `appended`). */
  readonly events: number;
  readonly error?: unknown;
}

/** Optional hook of the CommandExecutor (metrics, the command log). Must be cheap and never throw. */
export interface CommandObserver {
  /** One per `execute()`: its result, the attempts it took, how long it ran and what it was. */
  executed(result: CommandResult, attempts: number, seconds: number, executed: ExecutedCommand): void;
}

export const COMMAND_OBSERVER = Symbol('COMMAND_OBSERVER');
