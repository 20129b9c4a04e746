import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionEngine } from '../../projections/projection-engine';
import { CallHistory } from './call-history';
import { callHistoryProjection } from './call-history.projection';

/** The call-history read model: its projection, registered with the engine, and its queries. */
@Module({ providers: [CallHistory], exports: [CallHistory] })
export class CallHistoryModule implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}

  onModuleInit(): void {
    this.engine.register(callHistoryProjection);
  }
}
