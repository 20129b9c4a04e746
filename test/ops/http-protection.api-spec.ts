import { TestApp } from '../support/test-app';

describe('HTTP protection: rate limits, security headers, CORS', () => {
  describe('per-key rate limits', () => {
    let api: TestApp;
    let key: string;
    let otherKey: string;
    beforeAll(async () => {
      api = await TestApp.start({ config: { rateLimitMax: 3, rateLimitWindowMs: 60_000 } });
      ({ key } = await api.createCustomer('Busy'));
      ({ key: otherKey } = await api.createCustomer('Quiet'));
    });
    afterAll(() => api.close());

    it('answers 429 problem+json with Retry-After once a key used its allowance', async () => {
      for (let i = 0; i < 3; i++) expect((await api.request('GET', '/v1/calls', { key })).status).toBe(200);
      const limited = await api.request('GET', '/v1/calls', { key });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ status: 429, code: 'too_many_requests' });
      expect(limited.body.detail).toMatch(/At most 3 requests per 1 minute/);
    });

    it('counts each key on its own, and never limits health probes', async () => {
      expect((await api.request('GET', '/v1/calls', { key: otherKey })).status).toBe(200);
      for (let i = 0; i < 5; i++)
        expect((await api.request('GET', '/health/ready', { key: null })).status).toBe(200);
    });
  });

  describe('headers', () => {
    let api: TestApp;
    afterEach(() => api.close());

    it('sends security headers, with a CSP that lets the /docs UI load its own scripts', async () => {
      api = await TestApp.start();
      const docs = await api.request<string>('GET', '/docs', { key: null });
      expect(docs.status).toBe(200);
      const csp = docs.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toMatch(/upgrade-insecure-requests/);
      expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
      // Every script the page loads comes from this origin, so the CSP allows it.
      for (const src of docs.body.matchAll(/<script[^>]*src="([^"]+)"/g))
        expect(src[1]).not.toMatch(/^https?:/);
    });

    it('has CORS off unless origins are configured', async () => {
      api = await TestApp.start();
      const response = await api.request('GET', '/health/live', {
        key: null,
        headers: { origin: 'https://evil.example' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('allows exactly the configured origins', async () => {
      api = await TestApp.start({ config: { corsOrigins: ['https://app.example'] } });
      const allowed = await api.request('OPTIONS', '/v1/calls', {
        key: null,
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await api.request('GET', '/health/live', {
        key: null,
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
