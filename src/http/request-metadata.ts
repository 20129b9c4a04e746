import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CommandMetadata } from '../command-handling/command-metadata';
import type { AuthenticatedRequest } from './principal';

const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Metadata for a command started by this request: the caller's tenant and key, the request id as
 * causation, and the client's `X-Correlation-Id` (when well-formed) so its own traces join ours.
 */
export function commandMetadataOf(request: AuthenticatedRequest): CommandMetadata {
  const principal = request.principal;
  if (!principal) throw new Error('command metadata needs an authenticated request');
  const header = request.headers[CORRELATION_HEADER];
  const correlation = typeof header === 'string' && CORRELATION_PATTERN.test(header) ? header : request.id;
  return {
    correlationId: correlation,
    causationId: request.id,
    customerId: principal.customerId,
    actor: `${principal.role === 'media' ? 'media' : 'key'}:${principal.keyId}`,
  };
}

/** `@RequestMetadata() metadata: CommandMetadata` in a controller. */
export const RequestMetadata = createParamDecorator((_: unknown, context: ExecutionContext) =>
  commandMetadataOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
