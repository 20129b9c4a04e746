import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandHandlingModule } from '../command-handling/command-handling.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EventStoreModule } from '../event-store/event-store.module';
import { CreateCustomerHandler } from '../tenants/create-customer/create-customer.handler';
import { IssueApiKeyHandler } from '../tenants/issue-api-key/issue-api-key.handler';
import { RevokeApiKeyHandler } from '../tenants/revoke-api-key/revoke-api-key.handler';
import { CustomersCliCommand } from './customers.cli-command';

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
      imports: [CqrsModule.forRoot(), EventStoreModule, CommandHandlingModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        CreateCustomerHandler,
        IssueApiKeyHandler,
        RevokeApiKeyHandler,
        CustomersCliCommand,
        ...CustomersCliCommand.subCommands,
      ],
      exports: [APP_CONFIG],
    };
  }
}
