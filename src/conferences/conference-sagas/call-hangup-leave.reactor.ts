import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { CallHungUp } from '../../calls/call';
import { CALL_STREAM_PREFIX } from '../../calls/call-stream';
import { causedBy } from '../../command-handling/command-metadata';
import type { RecordedEvent } from '../../event-store/event-store';
import type { Reactor } from '../../reactors/reactor';
import { ReportConferenceSignalCommand } from '../conference-signals/report-conference-signal.command';

/**
 * Auto-leave: a call that hangs up is out of its conference, whatever its participant's status (joining,
 * joined, or leaving with a leave the gateway never confirmed). The hangup event names the membership the
 * call had, so nothing is looked up in a read model. A call hung up before the join's AssignConference step
 * has no membership here; that join is refused at AssignConference and aborted instead.
 */
@Injectable()
export class CallHangupLeaveReactor implements Reactor {
  readonly name = 'conferences.call-hangup-leave';
  readonly filter = { eventTypes: ['CallHungUp'], streamPrefixes: [CALL_STREAM_PREFIX] };

  constructor(private readonly commands: CommandBus) {}

  async react(event: RecordedEvent): Promise<void> {
    const { conference } = event.data as CallHungUp['data'];
    if (conference === null) return;
    await this.commands.execute(
      new ReportConferenceSignalCommand(
        conference.conferencecallId,
        'left',
        causedBy(event, 'system:conference-hangup'),
      ),
    );
  }
}
