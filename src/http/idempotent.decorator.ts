import { UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';

/**
 * `Idempotency-Key` support for a mutating route (or every route of a controller of mutations). Bound per
 * route, not globally: a route with no interceptor skips Nest's interceptor pipeline (an rxjs chain and an
 * AsyncResource per request), which reads pay for nothing. `test/app/idempotent-routes.spec.ts` fails for
 * a POST, PUT, PATCH or DELETE route without it.
 */
export const Idempotent = () => UseInterceptors(IdempotencyInterceptor);
