import { join } from 'node:path';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';

/** Cross-cutting HTTP behaviour every feature gets: idempotent mutations (`@Idempotent()`). */
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
