import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantKey } from '../support/make-call-load';
import { OPS_ADMIN_KEY, ServerProcess, sleep } from '../support/server-process';
import { reportFigures } from './fault-settings';

const PARTICIPANTS = 4;

/** The few members these calls read from the API's answers. */
interface ConferenceApiBody {
  id: string;
  status?: string;
  result: { status: string; type: string; time: string }[];
}

const RUNS = Number(process.env.FAULT_CONFERENCE_RUNS ?? 1);
/** Fast simulated media, so calls answer and joins complete within the test. */
const MEDIA = { SIM_RING_DELAY_MS: '50', SIM_ANSWER_DELAY_MS: '50' };

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('kill -9 during a conference stop', () => {
  it.each(Array.from({ length: RUNS }, (_, run) => run + 1))(
    'run %i: the conference still reaches terminated after the restart, every participant has left',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sb-faults-conf-'));
      const server = await ServerProcess.start({ DATA_DIR: dataDir, ...MEDIA });
      const key = await createTenantKey(server.baseUrl, OPS_ADMIN_KEY);
      const api = (base: string) => async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        return {
          status: response.status,
          body: (await response.json().catch(() => ({}))) as ConferenceApiBody,
        };
      };
      const beforeKill = api(server.baseUrl);

      const conference = await beforeKill('POST', '/v1/conferences', { type: 'conference', name: 'fault' });
      expect(conference.status).toBe(201);
      const conferenceId = conference.body.id;
      const callIds: string[] = [];
      for (let i = 0; i < PARTICIPANTS; i++) {
        const call = await beforeKill('POST', '/v1/calls', { contact_id: `conf-${i}`, type: 'voice' });
        expect(call.status).toBe(201);
        callIds.push(call.body.id);
      }
      for (const callId of callIds) {
        await until(
          async () =>
            (await beforeKill('GET', `/v1/calls/${callId}`)).body.status === 'progressing' ? true : undefined,
          15_000,
          `call ${callId} answered`,
        );
        const joined = await beforeKill('POST', '/v1/conferencecalls', {
          conference_id: conferenceId,
          reference_type: 'call',
          reference_id: callId,
        });
        expect(joined.status).toBe(201);
      }

      const stop = await beforeKill('POST', `/v1/conferences/${conferenceId}/stop`);
      expect(stop.status).toBeLessThan(300);
      server.signal('SIGKILL'); // while the termination saga kicks the participants
      await server.exited;
      const statusAtKill = stop.body.status;

      const restartedAt = Date.now();
      const restarted = await ServerProcess.start({ DATA_DIR: dataDir, ...MEDIA });
      try {
        const afterRestart = api(restarted.baseUrl);
        const startedAt = Date.now();
        await until(
          async () =>
            (await afterRestart('GET', `/v1/conferences/${conferenceId}`)).body.status === 'terminated'
              ? true
              : undefined,
          30_000,
          'conference terminated',
        );
        const participants = await afterRestart('GET', `/v1/conferencecalls?conference_id=${conferenceId}`);
        expect(participants.status).toBe(200);
        const statuses = participants.body.result.map((p) => p.status);
        expect(statuses).toEqual(Array(PARTICIPANTS).fill('leaved'));
        // Whether the kill landed mid-saga: the restarted instance wrote the end of the conference.
        const events = (await afterRestart('GET', `/v1/conferences/${conferenceId}/events`)).body.result;
        const terminated = events.find((event) => event.type === 'ConferenceTerminated');
        // The commit time (a missing field would silently compare against 1970, as `created` once did).
        expect(terminated?.time).toEqual(expect.any(String));
        reportFigures('conference-stop', {
          participants: PARTICIPANTS,
          status_when_killed: statusAtKill,
          terminated_after_restart_ms: Date.now() - startedAt,
          participant_statuses: statuses,
          finished_by_restarted_instance: new Date(terminated?.time ?? 0).getTime() >= restartedAt,
        });
      } finally {
        restarted.signal('SIGTERM');
        await restarted.exited;
      }
    },
    120_000,
  );
});
