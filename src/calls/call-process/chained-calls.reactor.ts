import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { causedBy } from '../../command-handling/command-metadata';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { isFinal } from '../../reactors/reactor-runner';
import type { CallHungUp } from '../call';
import { CALL_STREAM_PREFIX } from '../call-stream';
import { HangupCallCommand } from '../hangup-call/hangup-call.command';

export const CHAINED_HANGUP_ACTOR = 'system:chained-hangup';

/**
 * When a master call hangs up, every call chained to it is hung up (seed 003 `chained_call_ids`).
 * The list travels in `CallHungUp`, so nothing is loaded. Idempotent: hanging up a call that is already
 * ending or ended decides nothing. A chained call that refuses (unknown, another tenant's) is logged and
 * skipped without holding back its siblings; a transient failure retries the whole event, and the calls
 * already hung up are then no-ops.
 */
@Injectable()
export class ChainedCallsReactor implements Reactor {
  readonly name = 'chained-calls';
  readonly filter = { streamPrefixes: [CALL_STREAM_PREFIX], eventTypes: ['CallHungUp'] };
  private readonly logger = new Logger(ChainedCallsReactor.name);

  constructor(private readonly commandBus: CommandBus) {}

  async react(event: RecordedEvent): Promise<void> {
    const { callId, chainedCallIds } = event.data as CallHungUp['data'];
    const metadata = causedBy(event, CHAINED_HANGUP_ACTOR);
    for (const chainedCallId of chainedCallIds) {
      try {
        await this.commandBus.execute(new HangupCallCommand(chainedCallId, null, metadata));
      } catch (error) {
        if (!isFinal(error)) throw error;
        this.logger.warn(
          `chained call ${chainedCallId} of ${callId} not hung up: ${(error as Error).message}`,
        );
      }
    }
  }
}
