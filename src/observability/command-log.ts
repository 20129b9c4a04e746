import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { CommandObserver, CommandResult, ExecutedCommand } from '../command-handling/command-observer';
import { DomainError } from '../domain/domain-error';
import { entityIdsOf } from './log-context';
import { ROOT_LOGGER } from './log-options';
import { traceIdOf } from './trace-context';

/**
 * Levels of the command lines. A state change is worth a line at the default level (one per change, the
 * thread an operator follows by `call_id` or `correlation_id`); no-ops and refusals (already in the
 * request line as a 4xx) only when debugging; a command that could not be decided is a warning.
 */
const LEVEL: Record<CommandResult, 'info' | 'debug' | 'warn'> = {
  appended: 'info',
  unchanged: 'debug',
  rejected: 'debug',
  stale: 'debug',
  conflict: 'warn',
  failed: 'warn',
};

/**
 * One line per executed command, with the ids of what it is about (`call_id`, `conference_id`,
 * `conferencecall_id`, from its stream and its data), its stream, and its correlation: the request id of
 * the HTTP request that started the thread, carried on by every reaction and timer (so a dial, a ring and
 * a hangup caused by one POST share the POST's `correlation_id`).
 */
@Injectable()
export class CommandLog implements CommandObserver {
  private readonly logger: Logger;

  constructor(@Inject(ROOT_LOGGER) root: Logger) {
    this.logger = root.child({ context: 'Command' });
  }

  executed(result: CommandResult, attempts: number, seconds: number, executed: ExecutedCommand): void {
    const level = LEVEL[result];
    if (!this.logger.isLevelEnabled(level)) return;
    const { streamId, command, metadata, events, error } = executed;
    const data =
      typeof command === 'object' && command !== null ? (command as { data?: unknown }).data : null;
    this.logger[level](
      {
        command: commandName(command),
        result,
        stream: streamId,
        ...entityIdsOf(streamId, data),
        tenant: metadata.customerId,
        actor: metadata.actor,
        correlation_id: metadata.correlationId,
        causation_id: metadata.causationId,
        ...(metadata.traceparent ? { trace_id: traceIdOf(metadata.traceparent) } : {}),
        events,
        attempts,
        duration_ms: Math.round(seconds * 100_000) / 100,
        ...(error === undefined ? {} : { error: errorCode(error) }),
      },
      `command ${result}`,
    );
  }
}

function commandName(command: unknown): string {
  const type = typeof command === 'object' && command !== null ? (command as { type?: unknown }).type : null;
  return typeof type === 'string' ? type : 'unknown';
}

/** A refusal's code (`call.already_exists`); anything else its message. */
function errorCode(error: unknown): string {
  if (error instanceof DomainError) return error.code;
  return error instanceof Error ? error.message : String(error);
}
