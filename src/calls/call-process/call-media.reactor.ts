import { Inject, Injectable } from '@nestjs/common';
import { CommandExecutor } from '../../command-handling/command-executor';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { isCall } from '../call';
import { callDecider } from '../call.decider';
import { CALL_STREAM_PREFIX } from '../call-stream';
import { dialRequestOf, MEDIA_GATEWAY, type MediaGateway } from '../media-gateway/media-gateway.port';

/**
 * Tells the media gateway what the call stream decided: dial on `CallCreated`, hang up on
 * `CallHangupRequested`. It acts on the CURRENT state, not on the event alone, because delivery is
 * at-least-once and a new reactor replays history: a call is dialled only while still `dialing` (never one
 * already ringing, answered, being cancelled or hung up), and a hangup is asked only while the call waits
 * for it (`terminating` / `canceling`). Repeats that slip through are absorbed by the gateway's idempotency.
 */
@Injectable()
export class CallMediaReactor implements Reactor {
  readonly name = 'call-media';
  readonly filter = {
    streamPrefixes: [CALL_STREAM_PREFIX],
    eventTypes: ['CallCreated', 'CallHangupRequested'],
  };

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(MEDIA_GATEWAY) private readonly gateway: MediaGateway,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    const { state } = await this.executor.load(callDecider, event.streamId);
    if (!isCall(state)) return;
    if (event.type === 'CallCreated') {
      // inbound: a call received through a number already exists at the media layer; never dial it.
      if (state.inbound) return;
      if (state.status === 'dialing') await this.gateway.dial(dialRequestOf(state));
      return;
    }
    if (state.status === 'terminating' || state.status === 'canceling')
      await this.gateway.hangup(
        { callId: state.id, customerId: state.customerId },
        state.hangupReason ?? 'cancel',
      );
  }
}
