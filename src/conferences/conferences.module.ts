import { Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { CONFERENCE_SIGNAL_HANDLER } from '../calls/call-process/conference-signal-handler';
import type { Reactor } from '../reactors/reactor';
import { ReactorEngine } from '../reactors/reactor-engine';
import { TimerRegistry } from '../timers/timer-source';
import { ConferenceCommandsModule } from './conference-commands.module';
import { CallHangupLeaveReactor } from './conference-sagas/call-hangup-leave.reactor';
import { KickLeaveReactor } from './conference-sagas/kick-leave.reactor';
import { ParticipantCleanupReactor } from './conference-sagas/participant-cleanup.reactor';
import { TerminationKickReactor } from './conference-sagas/termination-kick.reactor';
import { MediaConferenceSignalHandler } from './conference-signals/media-conference-signal.handler';
import { conferenceTimerSource } from './conference-timers/conference-timer-source';
import { conferencecallTimerSource } from './conference-timers/conferencecall-timers';
import { ConferencecallsController } from './conferencecalls.controller';
import { ConferencesController } from './conferences.controller';
import { ConferenceReadModelsModule } from './conferences-read-model/conference-read-models.module';

const Reactors = [
  ParticipantCleanupReactor,
  TerminationKickReactor,
  CallHangupLeaveReactor,
  KickLeaveReactor,
];

/** Conferences served: REST over the write side and read models, media signals, sagas and timers. */
@Module({
  imports: [ConferenceCommandsModule, ConferenceReadModelsModule, AuditModule],
  controllers: [ConferencesController, ConferencecallsController],
  providers: [
    ...Reactors,
    // Looked up by the call process's signal sink (no module import either way).
    { provide: CONFERENCE_SIGNAL_HANDLER, useClass: MediaConferenceSignalHandler },
  ],
})
export class ConferencesModule implements OnModuleInit {
  constructor(
    private readonly reactors: ReactorEngine,
    private readonly timers: TimerRegistry,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // Sagas run on checkpointed subscriptions to the store (never the in-process EventBus).
    for (const type of Reactors) this.reactors.register(this.moduleRef.get<Reactor>(type));
    // Durable: the conference timeout, and the participants' join/leave safety nets.
    this.timers.register(conferenceTimerSource);
    this.timers.register(conferencecallTimerSource);
  }
}
