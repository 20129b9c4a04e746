import { TestApp } from '../support/test-app';

describe('customers and keys API', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await TestApp.start();
  });
  afterAll(() => api.close());

  it('creates a customer whose first key works at once, shown only at creation', async () => {
    const created = await api.request('POST', '/v1/customers', { body: { name: 'Acme' } });
    expect(created.status).toBe(201);
    expect(created.body.customer).toMatchObject({ name: 'Acme' });
    expect(created.body.api_key).toMatchObject({ role: 'user', customer_id: created.body.customer.id });
    expect(created.body.api_key.key).toMatch(/^sb_[A-Za-z0-9_-]{43}$/);

    const fetched = await api.request('GET', `/v1/customers/${created.body.customer.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.api_keys).toEqual([
      {
        id: created.body.api_key.id,
        role: 'user',
        issued_at: created.body.api_key.issued_at,
        revoked_at: null,
      },
    ]);
    expect(JSON.stringify(fetched.body)).not.toContain(created.body.api_key.key);
  });

  it('answers 401 without a key or with an unknown one, with a problem body', async () => {
    for (const key of [null, 'sb_unknown']) {
      const response = await api.request('GET', '/v1/customers/00000000-0000-7000-8000-000000000001', {
        key,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.body).toMatchObject({ status: 401, code: 'unauthorized' });
    }
  });

  it('answers 403 when a user key manages customers', async () => {
    const { key } = await api.createCustomer();
    const response = await api.request('POST', '/v1/customers', { key, body: { name: 'Evil' } });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
  });

  it('issues keys by role and revokes them for good', async () => {
    const { customerId } = await api.createCustomer();
    const issued = await api.request('POST', `/v1/customers/${customerId}/keys`, { body: { role: 'media' } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ role: 'media', customer_id: customerId });

    const revoked = await api.request('DELETE', `/v1/customers/${customerId}/keys/${issued.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toEqual(expect.any(String));
    const again = await api.request('DELETE', `/v1/customers/${customerId}/keys/${issued.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body.revoked_at).toBe(revoked.body.revoked_at);

    const used = await api.request('GET', `/v1/customers/${customerId}`, { key: issued.body.key });
    expect(used.status).toBe(401);
  });

  describe('bad input', () => {
    it.each([
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'a\u0000b' }, 'name'],
      [{ name: 'line\nbreak' }, 'name'],
      [{ name: 'x', extra: true }, 'extra'],
    ])('POST /v1/customers %j → 400 naming %s', async (body, field) => {
      const response = await api.request('POST', '/v1/customers', { body });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('malformed JSON → 400', async () => {
      const response = await api.request('POST', '/v1/customers', { rawBody: '{"name":' });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('malformed_json');
    });

    it('a body that is not JSON → 415', async () => {
      const response = await api.request('POST', '/v1/customers', {
        rawBody: 'name=x',
        headers: { 'content-type': 'text/plain' },
      });
      expect(response.status).toBe(415);
      expect(response.body.code).toBe('unsupported_media_type');
    });

    it('oversize body → 413', async () => {
      const response = await api.request('POST', '/v1/customers', { body: { name: 'x'.repeat(70_000) } });
      expect(response.status).toBe(413);
      expect(response.body.code).toBe('body_too_large');
    });

    it('bad ids → 400 naming the parameter; unknown ids → 404', async () => {
      const bad = await api.request('GET', '/v1/customers/not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
      const unknown = await api.request('GET', '/v1/customers/00000000-0000-7000-8000-0000000000ff');
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('customer.not_found');
    });

    it('bad role → 400; keys for an unknown customer → 404', async () => {
      const { customerId } = await api.createCustomer();
      const badRole = await api.request('POST', `/v1/customers/${customerId}/keys`, {
        body: { role: 'root' },
      });
      expect(badRole.status).toBe(400);
      const unknown = await api.request('POST', '/v1/customers/00000000-0000-7000-8000-0000000000ff/keys', {
        body: { role: 'user' },
      });
      expect(unknown.status).toBe(404);
    });

    it('unknown routes → 404 problem', async () => {
      const response = await api.request('GET', '/v1/nothing-here');
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('route_not_found');
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same request', async () => {
      const headers = { 'idempotency-key': 'create-acme-1' };
      const first = await api.request('POST', '/v1/customers', { body: { name: 'Once' }, headers });
      const second = await api.request('POST', '/v1/customers', { body: { name: 'Once' }, headers });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
    });

    it('refuses the same key for another request with 422', async () => {
      const headers = { 'idempotency-key': 'create-acme-2' };
      await api.request('POST', '/v1/customers', { body: { name: 'A' }, headers });
      const other = await api.request('POST', '/v1/customers', { body: { name: 'B' }, headers });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency.key_reused');
    });

    it('rejects a malformed key with 400', async () => {
      const response = await api.request('POST', '/v1/customers', {
        body: { name: 'A' },
        headers: { 'idempotency-key': 'x'.repeat(300) },
      });
      expect(response.status).toBe(400);
    });
  });
});
