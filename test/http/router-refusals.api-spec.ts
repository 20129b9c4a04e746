import { TestApp } from '../support/test-app';

/**
 * What Fastify's router refuses before any route runs answers in the same problem details as everything
 * else (it used to be Fastify's own `{"error":"Bad Request","code":"FST_ERR_…"}` JSON, with status 414).
 */
describe('refusals of the router itself', () => {
  let api: TestApp;
  let key: string;

  beforeAll(async () => {
    api = await TestApp.start();
    key = (await api.createCustomer('Router')).key;
  });
  afterAll(() => api.close());

  it('a path segment over 100 characters → 414 problem+json', async () => {
    const response = await api.request('GET', `/v1/calls/${'x'.repeat(101)}`, { key });
    expect(response.status).toBe(414);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 414, code: 'path_too_long', title: 'URI Too Long' });
    expect(JSON.stringify(response.body)).not.toContain('FST_ERR');
  });

  it('a path parameter that does not decode → 400 problem+json', async () => {
    const response = await api.request('GET', '/v1/calls/%E0%A4%A', { key });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: 'bad_url' });
  });

  it('titles are the reason phrases, not enum names', async () => {
    const unauthorized = await api.request('GET', '/v1/calls', { key: null });
    expect(unauthorized.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    const forbidden = await api.request('GET', '/v1/calls');
    expect(forbidden.body).toMatchObject({ status: 403, title: 'Forbidden' });
  });
});
