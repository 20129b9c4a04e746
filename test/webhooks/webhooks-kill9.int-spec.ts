import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from './webhook-receiver';

const ADMIN = 'sb_kill9_admin_key_0123456789abcdef';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The real server in a child process on a data dir, as an operator runs it. */
async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: join(__dirname, '../..'),
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: ADMIN,
      MEDIA_GATEWAY_MODE: 'external',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status < 500) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

async function call(port: number, method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}

describe('webhook deliveries across kill -9', () => {
  let dir: string;
  let server: ChildProcess | null = null;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webhooks-kill9-'));
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    server?.kill('SIGKILL');
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no pending delivery when the server is killed and restarted', async () => {
    const port = await freePort();
    server = await startServer(dir, port);
    const customer = await call(port, 'POST', '/v1/customers', ADMIN, { name: 'Kill9' });
    const key = customer.body.api_key.key;
    const endpoint = await call(port, 'POST', '/v1/webhook-endpoints', key, {
      url: receiver.url(),
      event_types: ['call.created'],
    });
    expect(endpoint.status).toBe(201);
    // The receiver is down (503) while the calls are made: every delivery stays pending.
    receiver.respond = () => ({ status: 503 });
    const callIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const made = await call(port, 'POST', '/v1/calls', key, { contact_id: `c${i}` });
      expect(made.status).toBe(201);
      callIds.push(made.body.id);
    }
    await receiver.until((received) => received.length >= 1, 30_000);
    expect(receiver.received.some((d) => d.status === 200)).toBe(false);
    server.kill('SIGKILL');
    await new Promise((resolve) => server?.once('exit', resolve));

    receiver.respond = () => ({ status: 200 });
    server = await startServer(dir, port);
    const delivered = () =>
      new Set(
        receiver.received
          .filter((d) => d.status === 200)
          .map(
            (d) =>
              new Webhook(endpoint.body.secret).verify(d.body, d.headers as Record<string, string>) as any,
          )
          .map((event) => event.subject),
      );
    await receiver.until(() => callIds.every((id) => delivered().has(id)), 60_000);
    expect([...delivered()].sort()).toEqual([...callIds].sort());
  }, 180_000);
});
