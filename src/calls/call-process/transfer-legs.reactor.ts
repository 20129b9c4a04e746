import { Injectable, Logger } from '@nestjs/common';
import { CommandExecutor } from '../../command-handling/command-executor';
import { causedBy } from '../../command-handling/command-metadata';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { isFinal } from '../../reactors/reactor-runner';
import { type CallAnswered, type CallHungUp, isCall } from '../call';
import { callDecider } from '../call.decider';
import { callStream } from '../call.stream-type';
import { CALL_STREAM_PREFIX } from '../call-stream';
import { TRANSFER_OF } from './call-actions.reactor';

export const TRANSFER_LEGS_ACTOR = 'system:transfer-legs';

/**
 * Tells a transferred call what became of its transfer leg: answered (→ `CallTransferred`), or ended
 * (before the answer → `CallTransferFailed` with the leg's hangup reason; after it → the call ends too).
 * A leg is a call whose master is the call and whose metadata names it (`transfer_of`); the call's
 * decider ignores outcomes of any leg that is not its current transfer, so repeats change nothing.
 */
@Injectable()
export class TransferLegsReactor implements Reactor {
  readonly name = 'transfer-legs';
  readonly filter = { streamPrefixes: [CALL_STREAM_PREFIX], eventTypes: ['CallAnswered', 'CallHungUp'] };
  private readonly logger = new Logger(TransferLegsReactor.name);

  constructor(private readonly executor: CommandExecutor) {}

  async react(event: RecordedEvent): Promise<void> {
    const { state: leg } = await this.executor.load(callDecider, event.streamId);
    if (!isCall(leg) || leg.masterCallId === null || leg.metadata[TRANSFER_OF] !== leg.masterCallId) return;
    const ended = event.type === 'CallHungUp';
    const data = event.data as CallAnswered['data'] | CallHungUp['data'];
    const command = {
      type: 'ReportTransferOutcome' as const,
      data: {
        callId: leg.masterCallId,
        customerId: leg.customerId,
        at: data.at,
        transferCallId: leg.id,
        outcome: ended ? ('ended' as const) : ('answered' as const),
        reason: ended ? (data as CallHungUp['data']).hangupReason : null,
      },
    };
    try {
      await this.executor.run(callStream, leg.masterCallId, command, causedBy(event, TRANSFER_LEGS_ACTOR));
    } catch (error) {
      if (!isFinal(error)) throw error;
      this.logger.warn(`transfer outcome of leg ${leg.id} not recorded: ${(error as Error).message}`);
    }
  }
}
