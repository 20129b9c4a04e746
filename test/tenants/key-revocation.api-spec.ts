import { TestApp } from '../support/test-app';

/**
 * The auth guard caches resolved keys; the tenant directory drops a key from that cache in the step that
 * applies its revoke. So a key that has just been used (and cached) is refused by the very next request
 * after its revoke answered, and a new key works by the very next request after its issue answered.
 */
describe('API keys take effect the moment their issue or revoke answered', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await TestApp.start();
  });
  afterAll(() => api.close());

  it('a cached key is refused right after its revoke, a new one accepted right after its issue', async () => {
    const { customerId } = await api.createCustomer();
    for (let round = 0; round < 5; round++) {
      const issued = await api.request('POST', `/v1/customers/${customerId}/keys`, {
        body: { role: 'user' },
      });
      expect(issued.status).toBe(201);
      const key: string = issued.body.key;
      // Used (and so cached) several times, some of them concurrently with the revoke.
      for (let i = 0; i < 3; i++) expect((await api.request('GET', '/v1/calls', { key })).status).toBe(200);
      const inFlight = Array.from({ length: 5 }, () => api.request('GET', '/v1/calls', { key }));
      const revoked = await api.request('DELETE', `/v1/customers/${customerId}/keys/${issued.body.id}`);
      expect(revoked.status).toBe(200);
      await Promise.all(inFlight);

      const after = await api.request('GET', '/v1/calls', { key });
      expect(after.status).toBe(401);
      expect(after.body.code).toBeDefined();
    }
  });
});
