import { join } from 'node:path';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { PageTokenInterceptor } from './page-token.interceptor';

/** Cross-cutting HTTP behaviour every feature gets: idempotent mutations, page tokens bound to filters. */
@Global()
@Module({
  providers: [
    {
      provide: IdempotencyStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new IdempotencyStore(
          config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'idempotency.db'),
        ),
    },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: PageTokenInterceptor },
  ],
})
export class HttpPlatformModule implements OnApplicationShutdown {
  constructor(@Inject(IdempotencyStore) private readonly store: IdempotencyStore) {}

  onApplicationShutdown(): void {
    this.store.close();
  }
}
