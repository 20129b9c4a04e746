import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionEngine } from '../../projections/projection-engine';
import { conferencecallsProjection } from './conferencecalls.projection';
import { ConferencecallsQueries } from './conferencecalls.queries';
import { conferencesProjection } from './conferences.projection';
import { ConferencesQueries } from './conferences.queries';

/** The conferences and conferencecalls read models: projections registered with the engine, and queries. */
@Module({
  providers: [ConferencesQueries, ConferencecallsQueries],
  exports: [ConferencesQueries, ConferencecallsQueries],
})
export class ConferenceReadModelsModule implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}

  onModuleInit(): void {
    this.engine.register(conferencesProjection);
    this.engine.register(conferencecallsProjection);
  }
}
