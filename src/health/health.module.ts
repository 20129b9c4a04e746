import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EVENT_STORE, type EventStore } from '../event-store/event-store';
import { ProjectionEngine } from '../projections/projection-engine';
import { ReactorEngine } from '../reactors/reactor-engine';
import { ExclusiveWorkRunner } from '../subscriptions/exclusive-work';
import { SharedAllFeed } from '../subscriptions/shared-feed';
import { HealthController } from './health.controller';
import { LeaseReadiness } from './lease-readiness';
import { ProjectionsReadiness } from './projections-readiness';
import { ReactorsReadiness } from './reactors-readiness';
import { ReadinessService } from './readiness.service';
import { StoreReadiness } from './store-readiness';

/**
 * `/health/live`, `/health/ready` and the readiness that gates the API (see `readiness-gate.ts`).
 * Other modules add parts with `ReadinessService.register(contributor)`.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessService],
  exports: [ReadinessService],
})
export class HealthModule implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionEngine,
    private readonly reactors: ReactorEngine,
    private readonly exclusive: ExclusiveWorkRunner,
    private readonly feed: SharedAllFeed,
  ) {}

  onModuleInit(): void {
    this.readiness.register(new StoreReadiness(this.store));
    this.readiness.register(new ProjectionsReadiness(this.store, this.projections));
    this.readiness.register(new ReactorsReadiness(this.reactors));
    this.readiness.register(new LeaseReadiness(this.exclusive, this.feed));
  }
}
