import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantKey } from './support/make-call-load';
import { OPS_ADMIN_KEY, ServerProcess, sleep } from './support/server-process';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('logs', () => {
  it('writes one JSON line per request with id, route, status, latency, tenant and correlation id', async () => {
    const server = await ServerProcess.start({ DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-logs-')) });
    try {
      const key = await createTenantKey(server.baseUrl, OPS_ADMIN_KEY);
      const me = await fetch(`${server.baseUrl}/v1/calls`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'x-correlation-id': 'corr-logs-1',
          traceparent: TRACEPARENT,
        },
        body: JSON.stringify({ contact_id: 'logs', type: 'voice' }),
      });
      expect(me.status).toBe(201);
      const { customer_id: customerId } = (await me.json()) as { customer_id: string };
      await sleep(200); // the line is written once the response has been sent

      const correlated = server.jsonLines().filter((line) => line.correlation_id === 'corr-logs-1');
      const lines = correlated.filter((line) => line.context === 'HTTP');
      expect(lines).toHaveLength(1);
      // The command it ran has its own line, with the same correlation and trace (test/ops/command-logs).
      expect(correlated.filter((line) => line.context === 'Command')).toEqual([
        expect.objectContaining({ command: 'MakeCall', trace_id: '0af7651916cd43dd8448eb211c80319c' }),
      ]);
      expect(lines[0]).toMatchObject({
        msg: 'request completed',
        method: 'POST',
        route: '/v1/calls',
        url: '/v1/calls',
        status: 201,
        tenant: customerId,
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        level: 30,
      });
      expect(lines[0].req_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines[0].latency_ms).toEqual(expect.any(Number));
      // Nest's Logger goes through the same JSON stream.
      expect(server.jsonLines().some((line) => String(line.msg).startsWith('listening on'))).toBe(true);
      // Every stdout line is JSON (no stray console output).
      expect(server.lines.filter((line) => line.trim() && !line.startsWith('{'))).toEqual([]);
    } finally {
      server.signal('SIGTERM');
      await server.exited;
    }
  }, 90_000);

  it('is human-readable with LOG_FORMAT=pretty', async () => {
    const server = await ServerProcess.start({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-logs-')),
      LOG_FORMAT: 'pretty',
      NO_COLOR: '1',
    });
    try {
      await fetch(`${server.baseUrl}/v1/calls`, { headers: { authorization: `Bearer ${OPS_ADMIN_KEY}` } });
      await sleep(300);
      const line = server.lines.find((l) => l.includes('request completed'));
      expect(line).toMatch(/INFO.*request completed/);
      expect(server.jsonLines()).toEqual([]);
    } finally {
      server.signal('SIGTERM');
      await server.exited;
    }
  }, 90_000);
});
