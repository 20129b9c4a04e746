import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CommandMetadata } from '../command-handling/command-metadata';
import { validTraceparent } from '../observability/trace-context';
import type { AuthenticatedRequest } from './principal';

const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's `X-Correlation-Id` when well-formed, else this request's id (which starts a correlation). */
export function correlationIdOf(request: Pick<AuthenticatedRequest, 'headers' | 'id'>): string {
  const header = request.headers[CORRELATION_HEADER];
  return typeof header === 'string' && CORRELATION_PATTERN.test(header) ? header : request.id;
}

/**
 * Metadata for a command started by this request: the caller's tenant and key, the request id as
 * causation, the client's `X-Correlation-Id` (when well-formed) so its own traces join ours, and its W3C
 * `traceparent` (when valid) so a tracing backend can link the events to the client's span.
 */
export function commandMetadataOf(request: AuthenticatedRequest): CommandMetadata {
  const principal = request.principal;
  if (!principal) throw new Error('command metadata needs an authenticated request');
  const traceparent = validTraceparent(request.headers.traceparent);
  return {
    correlationId: correlationIdOf(request),
    causationId: request.id,
    customerId: principal.customerId,
    actor: `${principal.role === 'media' ? 'media' : 'key'}:${principal.keyId}`,
    ...(traceparent ? { traceparent } : {}),
  };
}

/** `@RequestMetadata() metadata: CommandMetadata` in a controller. */
export const RequestMetadata = createParamDecorator((_: unknown, context: ExecutionContext) =>
  commandMetadataOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
