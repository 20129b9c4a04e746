import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from '../audit/audit.module';
import { CommandHandlingModule } from '../command-handling/command-handling.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventStoreModule } from '../event-store/event-store.module';
import { TenantCommandsModule } from '../tenants/tenant-commands.module';
import { CustomersCliCommand } from './customers.cli-command';
import { EventsCliCommand } from './events.cli-command';
import { ExportCliCommand, ImportCliCommand } from './export-import.cli-command';
import { MigrateCliCommand } from './migrate.cli-command';
import { ProjectionsCliCommand } from './projections.cli-command';
import {
  CallsCliCommand,
  CallsShowCliCommand,
  ConferencesCliCommand,
  ConferencesShowCliCommand,
} from './show.cli-command';
import { TraceCliCommand } from './trace.cli-command';
import { VerifyCliCommand } from './verify.cli-command';

/**
 * The operator CLI: the same command handlers as the HTTP API, over the same event store, but no HTTP, no
 * projections and no reactors — those belong to the running server, which picks the CLI's events up from
 * the store (a second process running them would apply and react twice).
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule,
        CommandHandlingModule,
        TenantCommandsModule,
        AuditModule,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        CustomersCliCommand,
        ...CustomersCliCommand.subCommands,
        EventsCliCommand,
        TraceCliCommand,
        CallsCliCommand,
        CallsShowCliCommand,
        ConferencesCliCommand,
        ConferencesShowCliCommand,
        ExportCliCommand,
        ImportCliCommand,
        MigrateCliCommand,
        VerifyCliCommand,
        ProjectionsCliCommand,
        ...ProjectionsCliCommand.subCommands,
      ],
      exports: [APP_CONFIG],
    };
  }
}
