import { TestApp } from '../support/test-app';

const CALL = { destination: { type: 'tel', target: '+15551234567' } };

describe('page tokens are bound to their list and filter', () => {
  let app: TestApp;
  let key: string;
  let token: string;

  beforeAll(async () => {
    app = await TestApp.start();
    key = (await app.createCustomer()).key;
    for (let i = 0; i < 3; i++) await app.request('POST', '/v1/calls', { key, body: CALL });
    await app.request('POST', '/v1/conferences', { key, body: { type: 'conference' } });
    token = (await app.request('GET', '/v1/calls?page_size=1&type=voice', { key })).body.next_page_token;
  });

  afterAll(() => app.close());

  it('the same filter pages on, also with another page size', async () => {
    const sameFilter = await app.request('GET', `/v1/calls?page_size=1&type=voice&page_token=${token}`, {
      key,
    });
    const biggerPages = await app.request('GET', `/v1/calls?page_size=5&type=voice&page_token=${token}`, {
      key,
    });

    expect(sameFilter.status).toBe(200);
    expect(sameFilter.body.result).toHaveLength(1);
    expect(biggerPages.body.result).toHaveLength(2);
  });

  it.each([
    ['another filter value', '/v1/calls?page_size=1&type=video'],
    ['a filter dropped', '/v1/calls?page_size=1'],
    ['a filter added', '/v1/calls?page_size=1&type=voice&direction=outgoing'],
    ['another list', '/v1/conferences?page_size=1'],
  ])('%s is a 400 naming page_token', async (_, url) => {
    const response = await app.request('GET', `${url}&page_token=${token}`, { key });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'page_token' }] });
  });

  it('a token we did not issue is a 400', async () => {
    const response = await app.request('GET', '/v1/calls?page_token=bm90LWEtdG9rZW4', { key });

    expect(response).toMatchObject({ status: 400, body: { errors: [{ field: 'page_token' }] } });
  });
});
