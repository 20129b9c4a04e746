import { join } from 'node:path';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { PageTokenInterceptor } from './page-token.interceptor';

/** Cross-cutting HTTP behaviour every feature gets: idempotent mutations (`@Idempotent()`), page tokens bound to filters. */
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
    IdempotencyInterceptor,
    { provide: APP_INTERCEPTOR, useClass: PageTokenInterceptor },
  ],
  // Bound per mutating route with @Idempotent(), so reads skip the interceptor pipeline.
  exports: [IdempotencyStore, IdempotencyInterceptor],
})
export class HttpPlatformModule implements OnApplicationShutdown {
  constructor(@Inject(IdempotencyStore) private readonly store: IdempotencyStore) {}

  onApplicationShutdown(): void {
    this.store.close();
  }
}
