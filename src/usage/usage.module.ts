import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionEngine } from '../projections/projection-engine';
import { UsageController } from './usage.controller';
import { usageProjection } from './usage.projection';
import { UsageQueries } from './usage.queries';

/** Usage (issue 12 §4): its projection, registered with the engine, its queries and its route. */
@Module({ providers: [UsageQueries], controllers: [UsageController] })
export class UsageModule implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}

  onModuleInit(): void {
    this.engine.register(usageProjection);
  }
}
