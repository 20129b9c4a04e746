import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionEngine } from '../projections/projection-engine';
import { ConferencecallsController } from './conferencecalls.controller';
import { ConferencesController } from './conferences.controller';
import { ConferenceAudit } from './conferences-read-model/conference-audit';
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
];

/** Conferences and their participants: REST, the join process, read models. */
@Module({
  controllers: [ConferencesController, ConferencecallsController],
  providers: [
    ...CommandHandlers,
    JoinProcess,
    ParticipantCleanup,
    ConferencesQueries,
    ConferencecallsQueries,
    ConferenceAudit,
  ],
})
export class ConferencesModule implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}

  onModuleInit(): void {
    this.engine.register(conferencesProjection);
    this.engine.register(conferencecallsProjection);
  }
}
