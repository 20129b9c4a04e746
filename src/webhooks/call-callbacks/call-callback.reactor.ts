import { Inject, Injectable } from '@nestjs/common';
import { CALL_STREAM_PREFIX } from '../../calls/call-stream';
import { CLOCK, type Clock } from '../../domain/clock';
import { PublicEventTranslator } from '../../event-catalog/public-event-translator';
import { matchesAnyType } from '../../event-catalog/public-event-types';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { CallCallbackOutbox } from './call-callback-outbox';

/**
 * Per-call status callbacks: each public event of a call that has a `status_callback` and whose type is
 * in its `status_callback_events` becomes one outbox delivery to that URL. The call's own view (the
 * event's `data`) says where and what, so no other read model is consulted and the callback given at
 * creation holds for the call's whole life. A checkpointed reactor like the endpoints' outbox: at least
 * once, never triggered by a read-model rebuild, and repeats schedule nothing new.
 */
@Injectable()
export class CallCallbackReactor implements Reactor {
  readonly name = 'call-callbacks';
  readonly filter = { streamPrefixes: [CALL_STREAM_PREFIX] };

  constructor(
    private readonly translator: PublicEventTranslator,
    private readonly outbox: CallCallbackOutbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async react(recorded: RecordedEvent): Promise<void> {
    const event = await this.translator.translate(recorded);
    if (event === null || event.callId === null) return;
    const call = event.cloudEvent.data as {
      status_callback?: string | null;
      status_callback_events?: string[];
    };
    if (!call.status_callback) return;
    if (!matchesAnyType(call.status_callback_events ?? null, event.cloudEvent.type)) return;
    await this.outbox.schedule(event.callId, event, this.clock.now().toISOString());
  }
}
