import { type EsdbWireFake, startEsdbWireFake } from '../../support/esdb-wire-fake/esdb-wire-fake';
import { TestApp } from '../../support/test-app';
import { callsOfContact, MakeCallLoad, type SentCall } from '../support/make-call-load';
import { sleep } from '../support/server-process';
import { FAULTS, reportFigures } from './fault-settings';

/**
 * A command against a store that never answers must fail with 503 within this bound: the adapter's 5 s
 * operation timeout plus slack for a loaded machine. Issue 7 lowers the timeout to 2 s; then run with
 * FAULT_ESDB_503_BOUND_MS=3000.
 */
const UNAVAILABLE_WITHIN_MS = Number(process.env.FAULT_ESDB_503_BOUND_MS ?? 8_000);

describe('EventStoreDB adapter (wire fake) frozen, then killed, under make-call load', () => {
  let fake: EsdbWireFake;
  let api: TestApp;
  afterAll(async () => {
    await api?.close();
    await fake?.stop();
  });

  it('answers 503 within the bound, recovers without a restart, loses and doubles nothing', async () => {
    fake = await startEsdbWireFake();
    api = await TestApp.start({
      config: {
        eventStore: 'esdb',
        eventStoreConnectionString: fake.connectionString,
        mediaGatewayMode: 'external',
      },
    });
    const { key } = await api.createCustomer('Outage');
    const phase = { name: 'before' as 'before' | 'frozen' | 'killed' | 'after' };
    const phases = new Map<SentCall, string>();
    const load = new MakeCallLoad({
      baseUrl: () => api.baseUrl,
      key,
      clients: FAULTS.clients,
      faulted: () => phase.name !== 'before',
    });
    const track = setInterval(() => {
      for (const call of load.sent) if (!phases.has(call)) phases.set(call, phase.name);
    }, 5);

    await sleep(1_000);
    phase.name = 'frozen';
    fake.setStalled(true);
    await sleep(3_000);
    fake.setStalled(false);
    await sleep(1_000);
    phase.name = 'killed';
    await fake.restart(2_000);
    phase.name = 'after';
    const recoveredFrom = Date.now();
    await sleep(3_000);
    const sent = await load.stop();
    clearInterval(track);

    const inPhase = (name: string) => sent.filter((call) => phases.get(call) === name);
    const unavailable = sent.filter((call) => call.status === 503);
    const otherErrors = sent.filter((call) => call.status >= 500 && call.status !== 503);
    const slowest503 = Math.max(0, ...unavailable.map((call) => call.latencyMs));
    const recovered = sent.filter((call) => call.status === 201 && call.sentAt >= recoveredFrom);
    const firstRecovered = Math.min(...recovered.map((call) => call.sentAt + call.latencyMs)) - recoveredFrom;

    const acknowledged = sent.filter((call) => call.status === 201);
    const lost: string[] = [];
    const doubled: string[] = [];
    for (const call of acknowledged) {
      if ((await api.request('GET', `/v1/calls/${call.callId}`, { key })).status !== 200)
        lost.push(call.callId ?? '?');
      const listed = await callsOfContact(api.baseUrl, key, call.contactId);
      if (listed.length > 1) doubled.push(call.contactId);
    }
    reportFigures('esdb-outage', {
      sent: sent.length,
      acknowledged: acknowledged.length,
      during_freeze: inPhase('frozen').length,
      unavailable_503: unavailable.length,
      slowest_503_ms: slowest503,
      other_5xx: otherErrors.length,
      recovered_after_restart: recovered.length,
      first_201_after_restart_ms: firstRecovered,
      lost: lost.length,
      doubled: doubled.length,
    });

    expect(unavailable.length).toBeGreaterThan(0);
    expect(slowest503).toBeLessThanOrEqual(UNAVAILABLE_WITHIN_MS);
    expect(otherErrors.map((call) => call.status)).toEqual([]);
    expect(recovered.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
  }, 60_000);
});
