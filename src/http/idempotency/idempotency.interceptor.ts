import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Observable, of, tap } from 'rxjs';
import { CLOCK, type Clock } from '../../domain/clock';
import { DomainError } from '../../domain/domain-error';
import type { AuthenticatedRequest } from '../principal';
import { InputValidationError } from '../validation';
import { IdempotencyStore } from './idempotency.store';

const HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Response headers a replay must repeat: where the resource is and which version it was. */
const REPLAYED_HEADERS = ['location', 'etag'];

/**
 * `Idempotency-Key` on any mutation: the same key with the same request replays the first response; the
 * same key with another request is a 422; a key whose first request is still running is a 409. Only
 * successful responses are kept, so a request that failed can be corrected and retried with its key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const header = request.headers[HEADER];
    if (header === undefined || !MUTATIONS.has(request.method) || !request.principal) return next.handle();
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new InputValidationError([
        { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const reply = http.getResponse<FastifyReply>();
    const customerId = request.principal.customerId;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');

    const reservation = this.store.reserve(customerId, header, fingerprint, this.clock.now().getTime());
    switch (reservation.outcome) {
      case 'mismatch':
        throw new DomainError(
          'invalid',
          'idempotency.key_reused',
          'This Idempotency-Key was used for a different request',
        );
      case 'in_progress':
        throw new DomainError(
          'conflict',
          'idempotency.in_progress',
          'The first request with this Idempotency-Key is still running',
        );
      case 'replay': {
        const { headers, body } = reservation.response;
        for (const [name, value] of Object.entries(headers)) reply.header(name, value);
        reply.header('idempotent-replayed', 'true');
        return of(body);
      }
      case 'reserved':
        return next.handle().pipe(
          tap({
            next: (body) => {
              const headers: Record<string, string> = {};
              for (const name of REPLAYED_HEADERS) {
                const value = reply.getHeader(name);
                if (typeof value === 'string') headers[name] = value;
              }
              this.store.saveResponse(customerId, header, { statusCode: reply.statusCode, headers, body });
            },
            error: () => this.store.releaseKey(customerId, header),
          }),
        );
    }
  }
}
