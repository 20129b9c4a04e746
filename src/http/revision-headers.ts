import type { FastifyReply } from 'fastify';
import { NO_REVISION_MATCHES } from '../command-handling/command-executor';
import { InputValidationError } from './validation';

/**
 * The stream revision is the resource's version: `ETag: "3"`. A client sends it back as `If-Match: "3"` to
 * say "only if nobody changed it since"; a stale one answers 412.
 */
export function etagOf(revision: bigint): string {
  return `"${revision.toString()}"`;
}

export function setRevisionHeaders(reply: FastifyReply, revision: bigint | null): void {
  if (revision !== null) reply.header('etag', etagOf(revision));
}

/**
 * Parses `If-Match`; absent → undefined. `*` means "any version", which is no precondition at all; a weak
 * ETag matches nothing (NO_REVISION_MATCHES).
 */
export function parseIfMatch(header: string | string[] | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header).trim();
  if (value === '*') return undefined;
  const match = /^(W\/)?"(\d{1,19})"$/.exec(value);
  if (!match)
    throw new InputValidationError([{ field: 'If-Match', message: 'must be an ETag of this API, e.g. "3"' }]);
  return match[1] ? NO_REVISION_MATCHES : BigInt(match[2]);
}
