import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConferenceReadModelsModule } from '../conferences/conferences-read-model/conference-read-models.module';
import { ProjectionEngine } from '../projections/projection-engine';
import { ConferenceOfTenant } from './conference-of-tenant';
import { NumberLookup } from './number-lookup';
import { NumbersController } from './numbers.controller';
import { numbersProjection } from './numbers-read-model/numbers.projection';
import { NumbersQueries } from './numbers-read-model/numbers.queries';
import { RegisterNumberHandler } from './register-number/register-number.handler';
import { ReleaseNumberHandler } from './release-number/release-number.handler';
import { UpdateNumberHandler } from './update-number/update-number.handler';

/** Phone numbers: register, update, release, the numbers read model and its queries. */
@Module({
  imports: [ConferenceReadModelsModule, AuditModule],
  controllers: [NumbersController],
  providers: [
    NumbersQueries,
    NumberLookup,
    ConferenceOfTenant,
    RegisterNumberHandler,
    UpdateNumberHandler,
    ReleaseNumberHandler,
  ],
  exports: [NumbersQueries],
})
export class NumbersModule implements OnModuleInit {
  constructor(private readonly engine: ProjectionEngine) {}

  onModuleInit(): void {
    this.engine.register(numbersProjection);
  }
}
