import { TestApp } from '../support/test-app';

/**
 * `Switchboard-Min-Position`: a position from another instance's write. One this store holds is waited for;
 * one past its head was never returned by any instance, so it is the client's mistake: 400 naming the header
 * at once, on reads and writes alike (the key lookup waits for it too), never 503 after the whole bound.
 */
describe('Switchboard-Min-Position', () => {
  let api: TestApp;
  let key: string;

  beforeAll(async () => {
    api = await TestApp.start();
    key = (await api.createCustomer('Positions')).key;
  });
  afterAll(() => api.close());

  const withPosition = (method: 'GET' | 'POST', path: string, position: string, body?: object) =>
    api.request(method, path, { key, body, headers: { 'switchboard-min-position': position } });

  it('reads at a position this store holds', async () => {
    const made = await api.request('POST', '/v1/conferences', { key, body: { type: 'conference' } });
    const position = made.headers.get('switchboard-position') as string;
    expect(position).toMatch(/^\d+$/);
    const read = await withPosition('GET', `/v1/conferences/${made.body.id}`, position);
    expect(read.status).toBe(200);
  });

  it.each([
    ['GET', '/v1/calls'],
    ['POST', '/v1/conferences'],
  ] as const)('%s %s: a position past the head → 400 naming the header, not 503', async (method, path) => {
    const head = (
      await api.request('POST', '/v1/conferences', { key, body: { type: 'conference' } })
    ).headers.get('switchboard-position');
    const beyond = (BigInt(head as string) + 1_000_000n).toString();
    const response = await withPosition(
      method,
      path,
      beyond,
      method === 'POST' ? { type: 'conference' } : undefined,
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.errors).toEqual([
      { field: 'Switchboard-Min-Position', message: expect.stringContaining(`position ${beyond} is beyond`) },
    ]);
  });

  it.each(['abc', '-1', '1.5'])(
    'a malformed position %s → 400 listing the header in errors',
    async (position) => {
      const response = await withPosition('GET', '/v1/calls', position);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { field: 'Switchboard-Min-Position', message: expect.any(String) },
      ]);
    },
  );
});
