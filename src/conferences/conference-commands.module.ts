import { Module } from '@nestjs/common';
import { ReportConferenceSignalHandler } from './conference-signals/report-conference-signal.handler';
import { CreateConferenceHandler } from './create-conference/create-conference.handler';
import { JoinConferenceHandler } from './join-conference/join-conference.handler';
import { JoinProcess } from './join-conference/join-process';
import { ParticipantCleanup } from './join-conference/participant-cleanup';
import { KickConferencecallHandler } from './kick-conferencecall/kick-conferencecall.handler';
import { StopConferenceHandler } from './stop-conference/stop-conference.handler';
import { UpdateConferenceHandler } from './update-conference/update-conference.handler';

/**
 * The write side of conferences and participants: command handlers and the join process they share, no
 * controllers, read models, sagas or timers (the CLI imports this; `MEDIA_GATEWAY` is optional).
 */
@Module({
  providers: [
    CreateConferenceHandler,
    UpdateConferenceHandler,
    StopConferenceHandler,
    JoinConferenceHandler,
    KickConferencecallHandler,
    ReportConferenceSignalHandler,
    JoinProcess,
    ParticipantCleanup,
  ],
  exports: [ParticipantCleanup],
})
export class ConferenceCommandsModule {}
