import { type EsdbWireFake, startEsdbWireFake } from '../support/esdb-wire-fake/esdb-wire-fake';
import { TestApp } from '../support/test-app';

/**
 * An EventStoreDB that accepts connections but never answers (a hung server, a half-open connection):
 * commands must fail fast with 503 problem+json, not hang until TCP gives up.
 */
describe('API on a frozen EventStoreDB (wire fake)', () => {
  let fake: EsdbWireFake;
  let api: TestApp;

  beforeAll(async () => {
    fake = await startEsdbWireFake();
    api = await TestApp.start({
      config: { eventStore: 'esdb', eventStoreConnectionString: fake.connectionString },
    });
  }, 60_000);

  afterAll(async () => {
    fake.setStalled(false);
    await api.close();
    await fake.stop();
  });

  it('answers a command with 503 StoreUnavailable within 2 s, and works again once the store answers', async () => {
    const { key } = await api.createCustomer('Before the freeze');
    fake.setStalled(true);

    const startedAt = Date.now();
    const response = await api.request('POST', '/v1/calls', {
      key,
      body: { contact_id: 'jj084', type: 'voice' },
    });
    const elapsed = Date.now() - startedAt;

    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(elapsed).toBeLessThan(2_000);

    fake.setStalled(false);
    const after = await api.request('POST', '/v1/customers', { body: { name: 'After the freeze' } });
    expect(after.status).toBe(201);
  }, 30_000);
});
