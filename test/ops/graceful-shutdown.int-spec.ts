import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantKey, MakeCallLoad, type SentCall } from './support/make-call-load';
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
    // The only 503 is the gate's `shutting_down`, which it answers only after the signal (a request sent
    // just before it may arrive after it); everything else succeeded or found the server gone.
    const allowed = (call: SentCall) =>
      call.status === 201 || call.status === 0 || (call.status === 503 && call.code === 'shutting_down');
    expect(before.filter((call) => !allowed(call))).toEqual([]);
    expect(after.filter((call) => !allowed(call))).toEqual([]);
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
