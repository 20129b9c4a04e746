import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '../domain/domain-error';
import { StoreUnavailable, WrongExpectedVersion } from '../event-store/event-store.errors';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problem } from './problem-details';
import { InputValidationError } from './validation';

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  rule_violated: 409,
  conflict: 409,
  not_found: 404,
  invalid: 422,
  precondition_failed: 412,
  unavailable: 503,
};

/**
 * Fastify's request errors (body parsing, limits) reach filters as plain HttpExceptions: Nest keeps only
 * the message and status, not Fastify's error code. Give each a stable problem code by status and message.
 */
function requestErrorCode(status: number, message: string): string | undefined {
  if (status === 413) return 'body_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 400 && /nested deeper/.test(message)) return 'body_too_deep';
  if (status === 400 && /JSON|Body cannot be empty/.test(message)) return 'malformed_json';
  return undefined;
}

/** The one place where errors become HTTP responses: RFC 9457 problem details, never a stack trace. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = { ...this.toProblem(exception, request), instance: request.url };
    if (body.status >= 500) this.logger.error(`${request.method} ${request.url}: ${describe(exception)}`);
    // Every 503 is "try again": say when, unless the answer already did (rate limits, the readiness gate).
    if (body.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
    reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private toProblem(exception: unknown, request: FastifyRequest): ProblemDetails {
    if (exception instanceof InputValidationError) {
      return problem(400, 'validation_failed', 'The request is not valid', {
        detail: exception.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors: exception.fieldErrors,
      });
    }
    if (exception instanceof DomainError) {
      return problem(
        STATUS_OF_KIND[exception.kind],
        exception.code,
        exception.message,
        extensionsOf(exception.details),
      );
    }
    if (exception instanceof StoreUnavailable) {
      return problem(503, 'store_unavailable', 'The event store is unavailable; retry later');
    }
    if (exception instanceof WrongExpectedVersion) {
      return problem(409, 'concurrency.conflict', 'The resource changed concurrently; retry');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const detail = httpExceptionDetail(exception);
      if (status === 404 && detail.startsWith('Cannot ')) {
        return problem(404, 'route_not_found', 'No such route', {
          detail: `${request.method} ${request.url}`,
        });
      }
      const requestError = requestErrorCode(status, detail);
      if (requestError === 'malformed_json') {
        return problem(400, requestError, 'The body is not valid JSON', {
          detail,
          errors: [{ field: 'body', message: detail }],
        });
      }
      return problem(status, requestError ?? codeOfStatus(status), STATUS_CODES[status] ?? 'Error', {
        detail,
      });
    }
    const clientFault = clientFaultStatus(exception);
    if (clientFault !== undefined) {
      return problem(clientFault, 'request_aborted', 'The request body was not received', {
        detail: 'The client closed the connection while sending the body',
      });
    }
    return problem(500, 'internal', 'Internal error');
  }
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route (and so before Nest's filter) runs,
 * a path parameter over its 100 characters or a path that does not decode, as the same problem details
 * instead of Fastify's own JSON. Neither names a route or echoes the path beyond `instance`.
 */
export function frameworkErrorProblem(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const body = {
    ...(tooLong
      ? problem(414, 'path_too_long', STATUS_CODES[414] as string, {
          detail: 'A path segment is longer than any id this API issues',
        })
      : problem(400, 'bad_url', STATUS_CODES[400] as string, { detail: 'The path does not decode' })),
    instance: request.url,
  };
  reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

/**
 * Fastify hands some request-stream errors over as they are, not as HttpExceptions: a client that hangs up
 * mid-body makes Node raise `aborted` (ECONNRESET), which Fastify marks 400. The client's doing, not ours:
 * no 500, and no error logged for it.
 */
function clientFaultStatus(exception: unknown): number | undefined {
  // Duck-typed: Node's own errors are not `instanceof Error` inside jest's sandbox.
  const { code, statusCode, message } = (exception ?? {}) as {
    code?: unknown;
    statusCode?: unknown;
    message?: unknown;
  };
  const aborted = code === 'ECONNRESET' || message === 'aborted';
  return aborted && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500
    ? statusCode
    : undefined;
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'errors']);

/**
 * Domain error details become extension members. A detail named like a standard member (deciders report a
 * resource's `status`) is renamed `current_<name>`: it must never replace the HTTP status or the code.
 */
function extensionsOf(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([name, value]) => [
      STANDARD_MEMBERS.has(name) ? `current_${name}` : name,
      value,
    ]),
  );
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

function codeOfStatus(status: number): string {
  return (HttpStatus[status] ?? 'error').toLowerCase();
}

function describe(exception: unknown): string {
  return exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
}
