import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { bindPageToken, unbindPageToken } from './pagination';

const OWN_PAGE_TOKENS = 'switchboard:own-page-tokens';

/**
 * A route whose page token is a public position it checks itself (the event feed answers through the raw
 * reply, which this interceptor never sees): its tokens are neither bound nor unbound here.
 */
export const OwnPageTokens = () => SetMetadata(OWN_PAGE_TOKENS, true);

/**
 * Binds every list's `next_page_token` to the path and filter of the request that produced it, and checks
 * it when it comes back: in one place for all lists, so the queries keep plain keyset cursors.
 */
@Injectable()
export class PageTokenInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET') return next.handle();
    if (this.reflector.get<boolean>(OWN_PAGE_TOKENS, context.getHandler())) return next.handle();
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
