import { Injectable } from '@nestjs/common';
import { causedBy } from '../../command-handling/command-metadata';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { CONFERENCECALL_STREAM_PREFIX, type ConferencecallLeft } from '../conferencecall';
import { ParticipantCleanup } from '../join-conference/participant-cleanup';

/**
 * Every way out ends here: on ConferencecallLeft or ConferencecallJoinAborted the conference drops the
 * participant (which may terminate a terminating conference) and the call is released. The join process
 * already does this inline when it aborts; this saga is what makes it happen after a crash, and for every
 * leave the media layer or a hangup reports.
 */
@Injectable()
export class ParticipantCleanupReactor implements Reactor {
  readonly name = 'conferences.participant-cleanup';
  readonly filter = {
    eventTypes: ['ConferencecallLeft', 'ConferencecallJoinAborted'],
    streamPrefixes: [CONFERENCECALL_STREAM_PREFIX],
  };

  constructor(private readonly cleanup: ParticipantCleanup) {}

  async react(event: RecordedEvent): Promise<void> {
    // Both event types carry the same participant reference.
    const data = event.data as ConferencecallLeft['data'];
    await this.cleanup.run(
      {
        conferencecallId: data.conferencecallId,
        conferenceId: data.conferenceId,
        callId: data.referenceId,
        customerId: event.metadata.customer_id,
      },
      causedBy(event, 'system:conference-cleanup'),
    );
  }
}
