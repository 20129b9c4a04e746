import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  callsOfContact,
  createTenantKey,
  MakeCallLoad,
  makeCall,
  type SentCall,
} from '../support/make-call-load';
import { OPS_ADMIN_KEY, ServerProcess, sleep } from '../support/server-process';
import { FAULTS, reportFigures } from './fault-settings';

/** Retries one make-call with its original key until it is no longer `in_progress` (bounded). */
async function retry(baseUrl: string, key: string, call: SentCall) {
  const deadline = Date.now() + FAULTS.retryWaitMs;
  for (;;) {
    const answer = await makeCall(baseUrl, key, call);
    if (answer.status !== 409 || answer.code !== 'idempotency.in_progress' || Date.now() > deadline)
      return answer;
    await sleep(500);
  }
}

describe('kill -9 under make-call load', () => {
  it(
    `${FAULTS.cycles} cycles: no acknowledged call lost, read models converge; duplicate retries counted`,
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sb-faults-kill-'));
      const sent: SentCall[] = [];
      let key = '';
      for (let cycle = 0; cycle < FAULTS.cycles; cycle++) {
        const server = await ServerProcess.start({ DATA_DIR: dataDir });
        if (!key) key = await createTenantKey(server.baseUrl, OPS_ADMIN_KEY);
        let killed = false;
        const load = new MakeCallLoad({
          baseUrl: () => server.baseUrl,
          key,
          clients: FAULTS.clients,
          faulted: () => killed,
        });
        await sleep(FAULTS.loadMs * (0.5 + Math.random() / 2));
        killed = true;
        server.signal('SIGKILL');
        await server.exited;
        sent.push(...(await load.stop()));
      }

      const server = await ServerProcess.start({ DATA_DIR: dataDir });
      try {
        const acknowledged = sent.filter((call) => call.status === 201);
        const unanswered = sent.filter((call) => call.status === 0 && !call.afterFault);
        const failures = sent.filter((call) => call.status >= 500 && !call.afterFault);

        // Every acknowledged call is there, by id (stream) and in the list (read model).
        const lost: string[] = [];
        const notListed: string[] = [];
        for (const call of acknowledged) {
          const byId = await fetch(`${server.baseUrl}/v1/calls/${call.callId}`, {
            headers: { authorization: `Bearer ${key}` },
          });
          if (byId.status !== 200) lost.push(call.callId ?? '?');
          if (!(await callsOfContact(server.baseUrl, key, call.contactId)).includes(call.callId ?? '')) {
            notListed.push(call.callId ?? '?');
          }
        }

        // Clients retry what got no answer, and some retry what did: one call per Idempotency-Key, always.
        let duplicates = 0;
        let stillInProgress = 0;
        const retried = [...unanswered, ...acknowledged.slice(0, 20)];
        await Promise.all(
          retried.map(async (call) => {
            const answer = await retry(server.baseUrl, key, call);
            if (answer.code === 'idempotency.in_progress') stillInProgress += 1;
            const listed = await callsOfContact(server.baseUrl, key, call.contactId);
            if (listed.length > 1) duplicates += listed.length - 1;
          }),
        );
        const figures = {
          cycles: FAULTS.cycles,
          clients: FAULTS.clients,
          sent: sent.length,
          acknowledged: acknowledged.length,
          unanswered_at_kill: unanswered.length,
          lost: lost.length,
          not_listed: notListed.length,
          server_errors_before_kill: failures.length,
          retried: retried.length,
          duplicates,
          still_in_progress_after_wait: stillInProgress,
        };
        reportFigures('kill-9', figures);

        expect(acknowledged.length).toBeGreaterThan(0);
        expect(lost).toEqual([]);
        expect(notListed).toEqual([]);
        expect(failures).toEqual([]);
        // Crash-safe idempotency is another change (issue 11, defect 1): reported here, enforced on demand.
        if (FAULTS.strictIdempotency)
          expect({ duplicates, stillInProgress }).toEqual({ duplicates: 0, stillInProgress: 0 });
      } finally {
        server.signal('SIGTERM');
        await server.exited;
      }
    },
    60_000 + FAULTS.cycles * 30_000,
  );
});
