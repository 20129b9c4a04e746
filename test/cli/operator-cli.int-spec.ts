import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventually } from '../conferences/conference-api-helpers';
import { FixedClock } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';
import { runCli } from './cli-runner';

/**
 * The operator CLI's "done when", end to end on real data folders: a store populated through the HTTP API
 * (customers, calls, a conference stopped with participants), then export → import → export, verify,
 * trace and time travel through the spawned CLI.
 */
describe('operator CLI on a populated store', () => {
  const source = mkdtempSync(join(tmpdir(), 'sb-ops-a-'));
  const target = mkdtempSync(join(tmpdir(), 'sb-ops-b-'));
  let conferenceId: string;
  let callId: string;
  let conferenceTimes: string[];

  beforeAll(async () => {
    const api = await TestApp.start({
      clock: new FixedClock('2026-04-01T12:00:00.000Z'),
      config: { dataDir: source, mediaGatewayMode: 'external' },
    });
    try {
      const { key, customerId } = await api.createCustomer('Ops');
      await api.createCustomer('Other');
      const mediaKey = (
        await api.request('POST', `/v1/customers/${customerId}/keys`, { body: { role: 'media' } })
      ).body.key;
      let signal = 0;
      const media = (path: string, body: object) =>
        api.request('POST', path, { key: mediaKey, body: { signal_id: `s-${++signal}`, ...body } });
      const answeredCall = async () => {
        const made = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'ops' } });
        await media(`/v1/calls/${made.body.id}/signals`, { signal: 'ringing' });
        await media(`/v1/calls/${made.body.id}/signals`, { signal: 'answered' });
        return made.body.id as string;
      };
      callId = await answeredCall();
      await api.request('POST', `/v1/calls/${callId}/hangup`, { key });

      conferenceId = (
        await api.request('POST', '/v1/conferences', { key, body: { type: 'conference', name: 'ops' } })
      ).body.id;
      const participants: string[] = [];
      for (let i = 0; i < 2; i++) {
        const joining = await api.request('POST', '/v1/conferencecalls', {
          key,
          body: { conference_id: conferenceId, reference_type: 'call', reference_id: await answeredCall() },
        });
        await media(`/v1/conferencecalls/${joining.body.id}/signals`, { signal: 'joined' });
        participants.push(joining.body.id);
      }
      await api.request('POST', `/v1/conferences/${conferenceId}/stop`, {
        key,
        headers: { 'x-correlation-id': 'ops-stop' },
      });
      const status = async (id: string) =>
        (await api.request('GET', `/v1/conferencecalls/${id}`, { key })).body.status;
      await eventually(async () => {
        for (const id of participants) expect(await status(id)).toBe('leaving');
      });
      for (const id of participants) await media(`/v1/conferencecalls/${id}/signals`, { signal: 'left' });
      await eventually(async () =>
        expect((await api.request('GET', `/v1/conferences/${conferenceId}`, { key })).body.status).toBe(
          'terminated',
        ),
      );
      conferenceTimes = (
        await api.request('GET', `/v1/conferences/${conferenceId}/events`, { key })
      ).body.result.map((event: { time: string }) => event.time);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('export → import into an empty store → export gives the same lines; a second import writes nothing', async () => {
    const first = await runCli(source, ['export', '--output', join(source, 'all.ndjson')]);
    expect(first).toMatchObject({ code: 0 });
    const exported = readFileSync(join(source, 'all.ndjson'), 'utf8');
    const lines = exported.trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toEqual({
      trailer: { count: lines.length - 1, sha256: expect.any(String) },
    });
    const streams = new Set(lines.slice(0, -1).map((line) => JSON.parse(line).stream.split('-')[0]));
    expect([...streams].sort()).toEqual(['call', 'conference', 'conferencecall', 'customer']);

    const imported = await runCli(target, ['import', join(source, 'all.ndjson'), '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ appended: lines.length - 1, skipped: 0 });
    const again = await runCli(target, ['import', join(source, 'all.ndjson'), '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ appended: 0, skipped: lines.length - 1 });

    const reexported = await runCli(target, ['export']);
    expect(reexported.code).toBe(0);
    expect(reexported.stdout).toBe(exported);
  }, 90_000);

  it('import refuses a file edited after export, and writes nothing', async () => {
    const edited = readFileSync(join(source, 'all.ndjson'), 'utf8').replace('"name":"Ops"', '"name":"Evil"');
    writeFileSync(join(target, 'edited.ndjson'), edited);
    const empty = mkdtempSync(join(tmpdir(), 'sb-ops-c-'));
    const refused = await runCli(empty, ['import', join(target, 'edited.ndjson')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not match its trailer/);
    expect((await runCli(empty, ['export'])).stdout).toBe(
      '{"trailer":{"count":0,"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}}\n',
    );
  }, 60_000);

  it('verify passes on a healthy store and fails naming the row after a read-model row is tampered with', async () => {
    const healthy = await runCli(source, ['verify']);
    expect(healthy).toMatchObject({ code: 0 });
    expect(healthy.stderr).toMatch(/every read model matches/);

    const db = new Database(join(source, 'read-models.db'));
    const table = (
      db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'conferences_v%_conferences'").get() as {
        name: string;
      }
    ).name;
    expect(
      db.prepare(`UPDATE ${table} SET status = 'progressing' WHERE conference_id = ?`).run(conferenceId)
        .changes,
    ).toBe(1);
    db.close();

    const tampered = await runCli(source, ['verify', '--json']);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/1 read-model row\(s\) differ/);
    const [difference] = JSON.parse(tampered.stdout);
    expect(difference).toMatchObject({
      projection: 'conferences',
      table: 'conferences',
      key: expect.stringContaining(conferenceId),
      live: expect.objectContaining({ status: 'progressing' }),
      expected: expect.objectContaining({ status: 'terminated' }),
    });
  }, 90_000);

  it('trace of a conference stop shows the kicks and the leaves they caused', async () => {
    const traced = await runCli(source, ['trace', 'ops-stop', '--json']);
    expect(traced.code).toBe(0);
    const [root] = JSON.parse(traced.stdout);
    expect(root).toMatchObject({ type: 'ConferenceTerminationStarted', correlation_id: 'ops-stop' });
    const kicks = root.caused.filter((node: { type: string }) => node.type === 'ConferencecallKicked');
    expect(kicks).toHaveLength(2);
    for (const kick of kicks) {
      expect(kick.caused).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'ConferencecallLeft', via: 'media' })]),
      );
    }
    const table = await runCli(source, ['trace', '--event', root.event_id]);
    expect(table.stdout).toMatch(
      /ConferenceTerminationStarted[\s\S]*ConferencecallKicked[\s\S]*~ ConferencecallLeft/,
    );
    expect(table.stdout).toMatch(/ConferenceTerminated/);
  }, 60_000);

  it('time travel: a conference at a revision and at a time, a call at a revision', async () => {
    const atZero = await runCli(source, [
      'conferences',
      'show',
      conferenceId,
      '--at-revision',
      '0',
      '--json',
    ]);
    expect(JSON.parse(atZero.stdout)).toMatchObject({
      id: conferenceId,
      status: 'progressing',
      revision: '0',
    });
    const atTime = await runCli(source, [
      'conferences',
      'show',
      conferenceId,
      '--at',
      conferenceTimes.at(-1)!,
      '--json',
    ]);
    expect(JSON.parse(atTime.stdout)).toMatchObject({ status: 'terminated' });
    const call = await runCli(source, ['calls', 'show', callId, '--at-revision', '0']);
    expect(call.stdout).toMatch(/status\s+dialing/);
    const events = await runCli(source, ['events', callId, '--from', '1', '--to', '2', '--json']);
    expect(JSON.parse(events.stdout).result.map((e: { revision: string }) => e.revision)).toEqual(['1', '2']);
  }, 60_000);

  it('one clear line and exit 1 for an unknown id, a bad time and an unreachable server', async () => {
    for (const [args, message] of [
      [['events', '00000000-0000-7000-8000-00000000dead'], /no stream, call, conference/],
      [['conferences', 'show', conferenceId, '--at', 'yesterday'], /--at must be an ISO-8601 time/],
      [['conferences', 'show', conferenceId, '--at', '2000-01-01T00:00:00Z'], /not found/],
      [
        ['projections', 'list', '--server', 'http://127.0.0.1:1', '--key', 'k'],
        /cannot reach http:\/\/127.0.0.1:1/,
      ],
      [['trace', 'no-such-correlation'], /no event with correlation id/],
    ] as const) {
      const result = await runCli(source, [...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 90_000);
});
