import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { bindPageToken, unbindPageToken } from './pagination';

/**
 * Binds every list's `next_page_token` to the path and filter of the request that produced it, and checks
 * it when it comes back: in one place for all lists, so the queries keep plain keyset cursors.
 */
@Injectable()
export class PageTokenInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET') return next.handle();
    const path = request.url.split('?')[0];
    const query = (request.query ?? {}) as Record<string, unknown>;
    const token = query.page_token;
    if (typeof token === 'string') query.page_token = unbindPageToken(token, path, query);
    return next.handle().pipe(
      map((body: unknown) => {
        if (typeof body !== 'object' || body === null || !('next_page_token' in body)) return body;
        const next = body.next_page_token;
        return typeof next === 'string'
          ? { ...body, next_page_token: bindPageToken(next, path, query) }
          : body;
      }),
    );
  }
}
