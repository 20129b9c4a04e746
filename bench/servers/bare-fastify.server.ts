import Fastify from 'fastify';
import { runBench } from '../run-bench';
import { MAKE_CALL_BODY_SCHEMA } from './make-call-body.schema';

/**
 * The ceiling for `POST /v1/calls`: plain Fastify parsing and validating the same body with a JSON schema
 * and answering with a small object, no auth, no store. Listens on PORT and prints READY.
 */
async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.post('/v1/calls', { schema: MAKE_CALL_BODY_SCHEMA }, async (request, reply) => {
    const body = request.body as { contact_id: string; type: string };
    reply.code(201);
    return { call_id: 'bench', contact_id: body.contact_id, type: body.type, metadata: {} };
  });
  // The ceiling for `GET /v1/calls/:id`: a route parameter and a small object, nothing looked up.
  app.get('/v1/calls/:id', async (request) => {
    const { id } = request.params as { id: string };
    return { id, contact_id: 'jj084', type: 'voice', status: 'dialing', metadata: {}, revision: '0' };
  });
  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write('READY\n');
}

runBench(main);
