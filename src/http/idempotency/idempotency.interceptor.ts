import { createHash } from 'node:crypto';
import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NestInterceptor,
  RequestMethod,
} from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import type { FastifyReply } from 'fastify';
import { catchError, from, Observable, of, tap, throwError } from 'rxjs';
import { CLOCK, type Clock } from '../../domain/clock';
import { DomainError } from '../../domain/domain-error';
import type { AuthenticatedRequest } from '../principal';
import { InputValidationError } from '../validation';
import { IdempotencyStore, type StoredResponse } from './idempotency.store';
import { resourceIdForKey, runCreation } from './idempotent-ids';

const HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Response headers a replay must repeat: where the resource is and which version it was. */
const REPLAYED_HEADERS = ['location', 'etag'];

/**
 * `Idempotency-Key` on any mutation: the same key with the same request replays the first response; the
 * same key with another request is a 422; a key whose first request is still running is a 409. Only
 * successful responses are kept, so a request that failed can be corrected and retried with its key.
 *
 * Crash-safe: the claim is durable before the command runs, and a creation names its resource after the key
 * (`idempotent-ids.ts`). A retry after the claiming process died, or after a 5xx (the store may have
 * committed what it did not confirm), runs the request again: a command that
 * had not committed now runs; one that had is absorbed by its decider (the same call, the same join) or
 * refused as `*.already_exists`, and the retry then answers with the resource the first attempt created.
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
      case 'reserved': {
        const resourceId = this.isCreation(context, request.body)
          ? resourceIdForKey(customerId, header, reservation.firstSeenMs)
          : null;
        const handled =
          resourceId === null
            ? next.handle()
            : new Observable<unknown>((subscriber) =>
                runCreation(resourceId, () => next.handle().subscribe(subscriber)),
              );
        const finished = (body: unknown) => {
          this.store.saveResponse(customerId, header, responseOf(reply, body));
        };
        return handled.pipe(
          catchError((error: unknown) =>
            reservation.recovered && resourceId !== null && isAlreadyExists(error)
              ? from(this.createdResource(request, reply, resourceId, error))
              : throwError(() => error),
          ),
          tap({
            next: finished,
            error: (error: unknown) =>
              outcomeUnknown(error)
                ? this.store.abandonKey(customerId, header)
                : this.store.releaseKey(customerId, header),
          }),
        );
      }
    }
  }

  /** A POST answering 201 creates a resource; a client-chosen `id` already makes it retryable. */
  private isCreation(context: ExecutionContext, body: unknown): boolean {
    const handler = context.getHandler();
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    const status =
      (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? HttpStatus.CREATED;
    const clientId = typeof body === 'object' && body !== null && 'id' in body;
    return method === RequestMethod.POST && status === HttpStatus.CREATED && !clientId;
  }

  /**
   * The first attempt created `resourceId` and died before answering: answer what it would have, the
   * resource (as it is now) with 201 and its Location, read through the API's own GET route.
   */
  private async createdResource(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    resourceId: string,
    refusal: unknown,
  ): Promise<unknown> {
    const location = `${request.url.split('?')[0].replace(/\/$/, '')}/${resourceId}`;
    const authorization = request.headers.authorization;
    const found = await request.server.inject({
      method: 'GET',
      url: location,
      headers: authorization ? { authorization } : {},
    });
    if (found.statusCode !== HttpStatus.OK) throw refusal;
    reply.status(HttpStatus.CREATED);
    reply.header('location', location);
    const etag = found.headers.etag;
    if (typeof etag === 'string') reply.header('etag', etag);
    return found.json();
  }
}

function responseOf(reply: FastifyReply, body: unknown): StoredResponse {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string') headers[name] = value;
  }
  return { statusCode: reply.statusCode, headers, body };
}

/**
 * A 5xx: the command may have been written (an append whose answer never came) or not. A 4xx is a refusal
 * decided before anything was written.
 */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof DomainError) return error.kind === 'unavailable';
  if (error instanceof HttpException) return error.getStatus() >= 500;
  return true; // the store unavailable, a bug: answered 5xx
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof DomainError && error.code.endsWith('.already_exists');
}
