import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { runBench } from '../run-bench';
import { MAKE_CALL_BODY_SCHEMA } from './make-call-body.schema';

/**
 * The durable-write limit for `POST /v1/calls` on this machine: what a server costs that does only what
 * the product cannot skip. Fastify with the same JSON schema, a bearer-key check (SHA-256, one indexed
 * SQLite lookup), and one event appended per request through group commit (every request before the next
 * macrotask in one transaction) with WAL and `synchronous=FULL`, answering only after COMMIT. No decider,
 * no projections, no Nest. Listens on PORT, prints READY and the bench key (`KEY <key>`).
 */
const KEY = 'sb_limit_bench_key_0123456789abcdef';
const hash = (key: string) => createHash('sha256').update(key).digest('hex');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-write-limit-'));
  const db = new Database(path.join(dir, 'events.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE keys (key_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL);
    CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
      id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (stream_id, revision));`);
  db.prepare('INSERT INTO keys VALUES (?, ?)').run(hash(KEY), 'bench');
  const keyOf = db.prepare<[string], { customer_id: string }>(
    'SELECT customer_id FROM keys WHERE key_hash = ?',
  );
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, id, type, data) VALUES (?, 0, ?, ?, ?)',
  );

  let queue: { streamId: string; data: string; done: () => void }[] = [];
  const flush = db.transaction((batch: typeof queue) => {
    for (const item of batch) insert.run(item.streamId, randomUUID(), 'CallCreated', item.data);
  });
  const append = (streamId: string, data: string) =>
    new Promise<void>((resolve) => {
      if (queue.length === 0)
        setImmediate(() => {
          const batch = queue;
          queue = [];
          flush(batch);
          for (const item of batch) item.done();
        });
      queue.push({ streamId, data, done: resolve });
    });

  const app = Fastify({ logger: false });
  app.post('/v1/calls', { schema: MAKE_CALL_BODY_SCHEMA }, async (request, reply) => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    const customer = bearer ? keyOf.get(hash(bearer[1])) : undefined;
    if (!customer) return reply.code(401).send({ code: 'unauthorized' });
    const body = request.body as { contact_id: string; type: string };
    const id = randomUUID();
    await append(`call-${id}`, JSON.stringify({ callId: id, customerId: customer.customer_id, ...body }));
    reply.code(201);
    return { id, contact_id: body.contact_id, type: body.type, metadata: {} };
  });
  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write(`READY\nKEY ${KEY}\n`);
  const close = () => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', close);
}

runBench(main);
