import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandHandlingModule } from './command-handling/command-handling.module';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { EventStoreModule } from './event-store/event-store.module';

/** The whole product. Built from an explicit config so tests never depend on process.env. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [CqrsModule.forRoot(), EventStoreModule, CommandHandlingModule],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
