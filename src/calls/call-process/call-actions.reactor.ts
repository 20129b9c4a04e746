import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { causedBy } from '../../command-handling/command-metadata';
import { CLOCK, type Clock } from '../../domain/clock';
import { assertNever } from '../../domain/decider';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { isFinal } from '../../reactors/reactor-runner';
import { StartRecordingCommand, StopRecordingCommand } from '../../recordings/commands/recording.commands';
import { type Call, isCall } from '../call';
import { callDecider } from '../call.decider';
import { callStream } from '../call.stream-type';
import { transferDestination } from '../call-action-options';
import type { CallActionOutcome, CallActionStarted } from '../call-control';
import { controlOf } from '../call-control';
import { CALL_STREAM_PREFIX } from '../call-stream';
import { MakeCallCommand } from '../make-call/make-call.command';
import { MEDIA_GATEWAY, type MediaGateway } from '../media-gateway/media-gateway.port';

export const CALL_ACTIONS_ACTOR = 'system:call-actions';
/** Marks a transfer leg in its metadata with the call it transfers, for the transfer-legs reactor. */
export const TRANSFER_OF = 'transfer_of';

/**
 * The action runner: turns a started action into what carries it out. A talk or a play goes to the media
 * gateway; a transfer is a new outgoing leg (MakeCall, chained to the call, whose id is the action's id);
 * hangup and context notes were done by the call itself when they started; `record_start` / `record_stop`
 * dispatch the recording feature's commands and then finish the action (`carryOut`). One more action type
 * that another feature carries out is one more such case.
 *
 * Like every reactor it acts on the CURRENT state (at-least-once, replays): only the call's running action,
 * only while the call is answered. Repeats are absorbed by the gateway (idempotent per action id) and by
 * MakeCall (same id, same settings: the existing call).
 */
@Injectable()
export class CallActionsReactor implements Reactor {
  readonly name = 'call-actions';
  readonly filter = { streamPrefixes: [CALL_STREAM_PREFIX], eventTypes: ['CallActionStarted'] };
  private readonly logger = new Logger(CallActionsReactor.name);

  constructor(
    private readonly executor: CommandExecutor,
    private readonly commandBus: CommandBus,
    @Inject(MEDIA_GATEWAY) private readonly gateway: MediaGateway,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const { action } = event.data as CallActionStarted['data'];
    const { state: call } = await this.executor.load(callDecider, event.streamId);
    if (!isCall(call) || call.status !== 'progressing') return;
    const running = controlOf(call).action;
    if (running?.id !== action.id || running.status !== 'running') return;
    const leg = { callId: call.id, customerId: call.customerId };
    switch (action.type) {
      case 'talk':
      case 'play':
        return this.gateway.executeAction({
          ...leg,
          actionId: action.id,
          type: action.type,
          option: action.option,
        });
      case 'transfer':
        return this.transfer(call, action.id, event);
      case 'hangup':
      case 'inject_context':
        return; // done by the call itself when they started (`call-actions.ts`)
      // Another feature's command, then the action's end. The recording id is the action id, so a
      // repeat starts (or stops) the same recording.
      case 'record_start':
        return this.carryOut(call, action.id, event, () =>
          this.commandBus.execute(
            new StartRecordingCommand(
              { target: { kind: 'call', id: call.id }, recordingId: action.id, format: 'wav' },
              causedBy(event, CALL_ACTIONS_ACTOR),
            ),
          ),
        );
      case 'record_stop':
        return this.carryOut(call, action.id, event, () =>
          this.commandBus.execute(
            new StopRecordingCommand(
              { target: { kind: 'call', id: call.id } },
              causedBy(event, CALL_ACTIONS_ACTOR),
            ),
          ),
        );
      default:
        return assertNever(action.type);
    }
  }

  private async transfer(call: Call, actionId: string, event: RecordedEvent): Promise<void> {
    const running = controlOf(call).action;
    if (running === null) return;
    try {
      await this.commandBus.execute(
        new MakeCallCommand(
          {
            callId: actionId,
            direction: 'outgoing',
            type: call.type,
            source: call.source,
            destination: transferDestination(running.option),
            masterCallId: call.id,
            metadata: { [TRANSFER_OF]: call.id },
          },
          causedBy(event, CALL_ACTIONS_ACTOR),
        ),
      );
    } catch (error) {
      if (!isFinal(error)) throw error;
      // The leg could not even be made (the call is ending, the id is taken): the transfer failed.
      this.logger.warn(`transfer of call ${call.id} not dialled: ${(error as Error).message}`);
      await this.finish(call, actionId, 'failed', 'failed', event);
    }
  }

  /** Runs another feature's command for the action, then finishes it: done, or failed with the refusal. */
  private async carryOut(
    call: Call,
    actionId: string,
    event: RecordedEvent,
    command: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await command();
    } catch (error) {
      if (!isFinal(error)) throw error;
      this.logger.warn(`action ${actionId} of call ${call.id} refused: ${(error as Error).message}`);
      return this.finish(call, actionId, 'failed', (error as Error).message, event);
    }
    await this.finish(call, actionId, 'done', null, event);
  }

  /** Ends the call's running action (a failed hand-over, or another feature's command done). */
  private async finish(
    call: Call,
    actionId: string,
    outcome: CallActionOutcome,
    reason: string | null,
    event: RecordedEvent,
  ): Promise<void> {
    const at = this.clock.now().toISOString();
    const ref = { callId: call.id, customerId: call.customerId, at };
    const command =
      controlOf(call).action?.type === 'transfer'
        ? {
            type: 'ReportTransferOutcome' as const,
            data: { ...ref, transferCallId: actionId, outcome: 'ended' as const, reason },
          }
        : { type: 'FinishCallAction' as const, data: { ...ref, actionId, outcome, reason } };
    await this.executor.run(callStream, call.id, command, causedBy(event, CALL_ACTIONS_ACTOR));
  }
}
