import { Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { CONFERENCE_SIGNAL_HANDLER } from '../calls/call-process/conference-signal-handler';
import { ProjectionEngine } from '../projections/projection-engine';
import type { Reactor } from '../reactors/reactor';
import { ReactorEngine } from '../reactors/reactor-engine';
import { TimerRegistry } from '../timers/timer-source';
import { CallHangupLeaveReactor } from './conference-sagas/call-hangup-leave.reactor';
import { KickLeaveReactor } from './conference-sagas/kick-leave.reactor';
import { ParticipantCleanupReactor } from './conference-sagas/participant-cleanup.reactor';
import { TerminationKickReactor } from './conference-sagas/termination-kick.reactor';
import { MediaConferenceSignalHandler } from './conference-signals/media-conference-signal.handler';
import { ReportConferenceSignalHandler } from './conference-signals/report-conference-signal.handler';
import { conferenceTimerSource } from './conference-timers/conference-timer-source';
import { conferencecallTimerSource } from './conference-timers/conferencecall-timers';
import { ConferencecallsController } from './conferencecalls.controller';
import { ConferencesController } from './conferences.controller';
import { conferencecallsProjection } from './conferences-read-model/conferencecalls.projection';
import { ConferencecallsQueries } from './conferences-read-model/conferencecalls.queries';
import { conferencesProjection } from './conferences-read-model/conferences.projection';
import { ConferencesQueries } from './conferences-read-model/conferences.queries';
import { CreateConferenceHandler } from './create-conference/create-conference.handler';
import { JoinConferenceHandler } from './join-conference/join-conference.handler';
import { JoinProcess } from './join-conference/join-process';
import { ParticipantCleanup } from './join-conference/participant-cleanup';
import { KickConferencecallHandler } from './kick-conferencecall/kick-conferencecall.handler';
import { StopConferenceHandler } from './stop-conference/stop-conference.handler';
import { UpdateConferenceHandler } from './update-conference/update-conference.handler';

const CommandHandlers = [
  CreateConferenceHandler,
  UpdateConferenceHandler,
  StopConferenceHandler,
  JoinConferenceHandler,
  KickConferencecallHandler,
  ReportConferenceSignalHandler,
];
const Reactors = [
  ParticipantCleanupReactor,
  TerminationKickReactor,
  CallHangupLeaveReactor,
  KickLeaveReactor,
];

/** Conferences and their participants: REST, the join process, media signals, sagas, read models. */
@Module({
  imports: [AuditModule],
  controllers: [ConferencesController, ConferencecallsController],
  providers: [
    ...CommandHandlers,
    ...Reactors,
    JoinProcess,
    ParticipantCleanup,
    ConferencesQueries,
    ConferencecallsQueries,
    // Looked up by the call process's signal sink (no module import either way).
    { provide: CONFERENCE_SIGNAL_HANDLER, useClass: MediaConferenceSignalHandler },
  ],
})
export class ConferencesModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionEngine,
    private readonly reactors: ReactorEngine,
    private readonly timers: TimerRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.projections.register(conferencesProjection);
    this.projections.register(conferencecallsProjection);
    // Sagas run on checkpointed subscriptions to the store (never the in-process EventBus).
    for (const type of Reactors) this.reactors.register(this.moduleRef.get<Reactor>(type));
    // Durable: the conference timeout, and the participants' join/leave safety nets.
    this.timers.register(conferenceTimerSource);
    this.timers.register(conferencecallTimerSource);
  }
}
