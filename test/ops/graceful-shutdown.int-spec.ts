import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantKey, MakeCallLoad } from './support/make-call-load';
import { OPS_ADMIN_KEY, ServerProcess, sleep } from './support/server-process';

describe('graceful shutdown on SIGTERM', () => {
  it('under make-call load: 503 only after the signal, no other 5xx, exit 0, nothing acknowledged lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-sigterm-'));
    const server = await ServerProcess.start({ DATA_DIR: dataDir });
    const key = await createTenantKey(server.baseUrl, OPS_ADMIN_KEY);
    let signalled = false;
    const load = new MakeCallLoad({
      baseUrl: () => server.baseUrl,
      key,
      clients: 8,
      faulted: () => signalled,
    });
    await sleep(1_500);

    const signalledAt = Date.now();
    signalled = true;
    server.signal('SIGTERM');
    const exit = await server.exited;
    const stoppedInMs = Date.now() - signalledAt;
    const sent = await load.stop();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(stoppedInMs).toBeLessThan(12_000);
    const before = sent.filter((call) => !call.afterFault);
    const after = sent.filter((call) => call.afterFault);
    // Before the signal every request succeeded; after it: 201 (in flight), 503 (gate) or no connection.
    expect(before.filter((call) => call.status !== 201 && call.status !== 0)).toEqual([]);
    expect(after.filter((call) => ![0, 201, 503].includes(call.status))).toEqual([]);
    // Only requests racing the signal may have found no server: at most one per client.
    expect(before.filter((call) => call.status === 0).length).toBeLessThanOrEqual(8);
    expect(server.lines.join('\n')).toMatch(/SIGTERM: not ready/);

    const acknowledged = sent.filter((call) => call.status === 201);
    expect(acknowledged.length).toBeGreaterThan(10);
    const restarted = await ServerProcess.start({ DATA_DIR: dataDir });
    try {
      const missing: string[] = [];
      for (const call of acknowledged) {
        const response = await fetch(`${restarted.baseUrl}/v1/calls/${call.callId}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        if (response.status !== 200) missing.push(`${call.callId}: ${response.status}`);
      }
      expect(missing).toEqual([]);
    } finally {
      restarted.signal('SIGTERM');
      await restarted.exited;
    }
  }, 120_000);
});
