import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { ConferenceSignalHandler } from '../../calls/call-process/conference-signal-handler';
import type { MediaConferenceSignal } from '../../calls/media-gateway/media-gateway.port';
import { ReportConferenceSignalCommand } from './report-conference-signal.command';

/**
 * The built-in media gateway's `joined` / `left` reports, bound to `CONFERENCE_SIGNAL_HANDLER`: the same
 * command as `POST /v1/conferencecalls/:id/signals`. Reports arrive at least once and possibly out of
 * order; the conferencecall decider absorbs repeats and never moves a participant back.
 */
@Injectable()
export class MediaConferenceSignalHandler implements ConferenceSignalHandler {
  constructor(private readonly commands: CommandBus) {}

  async handle(signal: MediaConferenceSignal): Promise<void> {
    await this.commands.execute(
      new ReportConferenceSignalCommand(
        signal.conferencecallId,
        signal.signal,
        {
          // Like a media layer's HTTP report: a correlation of its own, tied together by the signal id.
          correlationId: signal.signalId,
          causationId: signal.signalId,
          customerId: signal.customerId,
          actor: 'media:gateway',
        },
        signal.at,
      ),
    );
  }
}
