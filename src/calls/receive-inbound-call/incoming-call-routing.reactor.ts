import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandExecutor } from '../../command-handling/command-executor';
import { causedBy } from '../../command-handling/command-metadata';
import { JoinConferenceCommand } from '../../conferences/join-conference/join-conference.command';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { isFinal } from '../../reactors/reactor-runner';
import { AnswerCallCommand } from '../answer-call/answer-call.command';
import { type Call, type CallCreated, isCall } from '../call';
import { callDecider } from '../call.decider';
import { CALL_STREAM_PREFIX } from '../call-stream';
import { HangupCallCommand } from '../hangup-call/hangup-call.command';

export const INBOUND_ROUTING_ACTOR = 'system:inbound-routing';

/**
 * Routes an incoming call as its number said when the call came in: `answer` answers it (its actions
 * are on the call, for call control to run); `join_conference` answers it and joins the conference
 * through the same join use case as `POST /v1/conferencecalls`. `ring` is left to the application.
 *
 * At-least-once, so every step looks at the call's CURRENT state first: a call no longer ringing is not
 * answered (the caller may have hung up), and a call already in a conference is not joined again. A join
 * refused for good (the conference ended since the number was set up) hangs the call up, so the caller is
 * never left in silence; the refusal is logged.
 */
@Injectable()
export class IncomingCallRoutingReactor implements Reactor {
  readonly name = 'incoming-call-routing';
  readonly filter = { streamPrefixes: [CALL_STREAM_PREFIX], eventTypes: ['CallCreated'] };
  private readonly logger = new Logger(IncomingCallRoutingReactor.name);

  constructor(
    private readonly commandBus: CommandBus,
    private readonly executor: CommandExecutor,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const inbound = (event.data as CallCreated['data']).inbound;
    if (!inbound || inbound.onIncoming === 'ring') return;
    const metadata = causedBy(event, INBOUND_ROUTING_ACTOR);
    let call = await this.current(event.streamId);
    if (call?.status === 'ringing') {
      await this.commandBus.execute(new AnswerCallCommand(call.id, metadata));
      call = await this.current(event.streamId);
    }
    if (inbound.onIncoming !== 'join_conference' || inbound.conferenceId === null) return;
    if (call?.status !== 'progressing' || call.conference !== null) return;
    try {
      await this.commandBus.execute(
        new JoinConferenceCommand(
          { conferenceId: inbound.conferenceId, referenceType: 'call', referenceId: call.id },
          metadata,
        ),
      );
    } catch (error) {
      if (!isFinal(error)) throw error;
      this.logger.warn(
        `incoming call ${call.id} not joined to ${inbound.conferenceId}: ${(error as Error).message}`,
      );
      const now = await this.current(event.streamId);
      if (now?.status === 'progressing' && now.conference === null)
        await this.commandBus.execute(new HangupCallCommand(call.id, null, metadata));
    }
  }

  private async current(streamId: string): Promise<Call | null> {
    const { state } = await this.executor.load(callDecider, streamId);
    return isCall(state) ? state : null;
  }
}
