import type { FastifyInstance } from 'fastify';
import { withWriteScope, writtenPosition } from '../command-handling/write-position';

/** Response header: the position of the request's last write; send it back as `Switchboard-Min-Position`. */
export const POSITION_HEADER = 'switchboard-position';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Mutating requests run in a write scope; their response carries the position their writes reached, which a
 * client passes to another instance to read its own writes there too.
 */
export function registerWritePositionHeader(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (READS.has(request.method)) return done();
    withWriteScope(done);
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    const position = writtenPosition();
    if (position !== null) reply.header(POSITION_HEADER, position.toString());
    done(null, payload);
  });
}
