import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsdbEventStore } from '../../src/event-store/esdb/esdb-event-store';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { type EsdbWireFake, startEsdbWireFake } from '../support/esdb-wire-fake/esdb-wire-fake';
import { runCli } from './cli-runner';

const metadata = (customer: string) => ({
  correlation_id: 'c',
  causation_id: 'c',
  customer_id: customer,
  actor: 'system:test',
});

/** `switchboard migrate --to esdb://...` against the in-process EventStoreDB wire fake (not a real server). */
describe('switchboard migrate (EventStoreDB wire fake)', () => {
  let fake: EsdbWireFake;
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-migrate-'));
  const streams = 20;
  const perStream = 3;

  beforeAll(async () => {
    fake = await startEsdbWireFake();
    const store = new SqliteEventStore({ filename: join(dataDir, 'events.db') });
    for (let s = 0; s < streams; s++)
      for (let r = 0; r < perStream; r++)
        await store.appendToStream(
          `call-00000000-0000-7000-8000-${s.toString().padStart(12, '0')}`,
          [
            {
              id: `00000000-0000-7000-8${r}00-${s.toString().padStart(12, '0')}`,
              type: 'Tested',
              data: { s, r },
              metadata: metadata(`t${s % 2}`),
            },
          ],
          { expectedRevision: r === 0 ? 'no_stream' : BigInt(r - 1) },
        );
    await store.close();
  }, 30_000);
  afterAll(() => fake.stop());

  it('copies every stream, verifies counts and hashes, and a second run writes nothing', async () => {
    const first = await runCli(dataDir, ['migrate', '--to', fake.connectionString, '--json']);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toEqual({
      appended: streams * perStream,
      skipped: 0,
      streams,
      mismatched_streams: 0,
    });
    const again = await runCli(dataDir, ['migrate', '--to', fake.connectionString, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      appended: 0,
      skipped: streams * perStream,
      mismatched_streams: 0,
    });

    const target = EsdbEventStore.fromConnectionString(fake.connectionString);
    try {
      const read = [];
      for await (const event of target.readStream('call-00000000-0000-7000-8000-000000000007'))
        read.push(event);
      expect(read.map((event) => event.data)).toEqual([0, 1, 2].map((r) => ({ s: 7, r })));
    } finally {
      await target.close();
    }
  }, 90_000);

  it('refuses a target that is not an esdb:// connection string', async () => {
    const result = await runCli(dataDir, ['migrate', '--to', 'http://example.invalid']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--to must be an esdb:\/\/ connection string/);
  }, 30_000);
});
