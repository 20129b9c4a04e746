import type { Socket } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from './problem-details';

/**
 * How much of a refused body (413, or any answer given before the body was read) we read and throw away so
 * the client, still sending, can read our answer. Closing with unread bytes makes the kernel reset the
 * connection and Node's `fetch`/`http` then see EPIPE instead of the 413 (nginx's "lingering close").
 * Beyond this the connection is closed: reading more would let anyone make us download without limit.
 */
export const LINGER_MAX_BYTES = 64 * 1024 * 1024;
/** A client that stops sending mid-body must not hold the connection (nginx's `lingering_time`). */
export const LINGER_MAX_MS = 30_000;

/**
 * Answers before the body is read keep the connection open while the rest of the body is discarded (Node
 * reads it off the socket, so the next request on the connection parses cleanly), up to `LINGER_MAX_BYTES`.
 */
export function useLingeringClose(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
      const raw = request.raw;
      if (raw.complete || reply.getHeader('connection') !== 'close') return;
      const declared = Number(raw.headers['content-length']);
      // A request without a body (a GET answered by an early hook) has nothing to discard: `complete` stays
      // false only because nobody read its empty stream, and its Connection: close must stand.
      if (!(declared > 0) && raw.headers['transfer-encoding'] === undefined) return;
      if (declared > LINGER_MAX_BYTES) return;
      reply.removeHeader('connection');
      let discarded = 0;
      const giveUp = setTimeout(() => raw.socket.destroy(), LINGER_MAX_MS).unref();
      raw.on('end', () => clearTimeout(giveUp));
      raw.on('data', (chunk: Buffer) => {
        discarded += chunk.length;
        if (discarded > LINGER_MAX_BYTES) raw.socket.destroy();
      });
    });
}

/**
 * Fastify's answer to unparsable HTTP (400) and oversize headers (431) closes the socket without saying
 * so, and a keep-alive client then writes its next request into a dead connection (ECONNRESET). This one
 * answers problem+json with `Connection: close` and ends the connection gracefully.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, title] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'Request Header Fields Too Large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'Request Timeout']
        : [400, 'malformed_http', 'Bad Request'];
  const body = JSON.stringify(problem(status, code, title));
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nConnection: close\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  // A client that never reads must not hold the socket open.
  setTimeout(() => socket.destroy(), 1000).unref();
}
