import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AdminModule } from './admin/admin.module';
import { CallProcessModule } from './calls/call-process/call-process.module';
import { CallsModule } from './calls/calls.module';
import { InboundCallsModule } from './calls/inbound-calls.module';
import { CommandHandlingModule } from './command-handling/command-handling.module';
import { ConferencesModule } from './conferences/conferences.module';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { EventCatalogModule } from './event-catalog/event-catalog.module';
import { EventFeedModule } from './event-feed/event-feed.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { HttpPlatformModule } from './http/http-platform.module';
import { NumbersModule } from './numbers/numbers.module';
import { ObservabilityModule } from './observability/observability.module';
import { ProjectionsModule } from './projections/projections.module';
import { READ_MODEL_FILENAME } from './projections/read-model-database';
import { ReactorsModule } from './reactors/reactors.module';
import { RecordingFilesModule } from './recordings/files/recording-files.module';
import { RecordingsModule } from './recordings/recordings.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { TenantsModule } from './tenants/tenants.module';
import { TimersModule } from './timers/timers.module';
import { UsageModule } from './usage/usage.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export const READ_MODELS_FILE = 'read-models.db';

/** The whole product. Built from an explicit config so tests never depend on process.env. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule,
        SubscriptionsModule,
        ProjectionsModule,
        CommandHandlingModule,
        ReactorsModule,
        TimersModule,
        HttpPlatformModule,
        TenantsModule,
        ConferencesModule,
        CallsModule,
        CallProcessModule,
        // Numbers and inbound calls (issue 12 §3).
        NumbersModule,
        InboundCallsModule,
        RecordingFilesModule,
        RecordingsModule,
        ObservabilityModule,
        HealthModule,
        AdminModule,
        EventCatalogModule,
        EventFeedModule,
        WebhooksModule,
        UsageModule,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: READ_MODEL_FILENAME,
          useValue: config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, READ_MODELS_FILE),
        },
      ],
      exports: [APP_CONFIG, READ_MODEL_FILENAME],
    };
  }
}
