import { TestApp } from '../support/test-app';

/** Value of one sample line `name{labels} value` in Prometheus' text format, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics (Prometheus)', () => {
  let api: TestApp;
  let key: string;

  beforeAll(async () => {
    // External media: no simulated gateway issuing commands between two scrapes.
    api = await TestApp.start({ config: { mediaGatewayMode: 'external' } });
    ({ key } = await api.createCustomer('Metrics'));
  });
  afterAll(() => api.close());

  const scrape = async () => {
    const response = await api.request<string>('GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.body;
  };

  it('needs an admin key: 401 without one, 403 for a tenant key', async () => {
    expect((await api.request('GET', '/metrics', { key: null })).status).toBe(401);
    const tenant = await api.request('GET', '/metrics', { key });
    expect(tenant.status).toBe(403);
    expect(tenant.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('counts HTTP requests by route template and status, commands by result, and commit batches', async () => {
    const before = await scrape();
    const labels = 'method="POST",route="/v1/calls",status_code="201"';
    const created = sample(before, 'http_request_duration_seconds_count', labels) ?? 0;
    const appended = sample(before, 'switchboard_commands_total', 'result="appended"') ?? 0;
    const batches = sample(before, 'switchboard_append_batch_events_count') ?? 0;
    for (let i = 0; i < 3; i++) {
      const call = await api.request('POST', '/v1/calls', {
        key,
        body: { contact_id: `m-${i}`, type: 'voice' },
      });
      expect(call.status).toBe(201);
    }
    const missing = await api.request('GET', '/v1/calls/0190e2c5-7f1e-7000-8000-000000000000', { key });
    expect(missing.status).toBe(404);

    const after = await scrape();
    expect(sample(after, 'http_request_duration_seconds_count', labels)).toBe(created + 3);
    expect(
      sample(
        after,
        'http_request_duration_seconds_count',
        'method="GET",route="/v1/calls/:id",status_code="404"',
      ),
    ).toBe(1);
    expect(sample(after, 'http_request_duration_seconds_bucket', `le="10",${labels}`)).toBe(created + 3);
    expect(sample(after, 'switchboard_commands_total', 'result="appended"')).toBeGreaterThanOrEqual(
      appended + 3,
    );
    expect(sample(after, 'switchboard_append_batch_events_count')).toBeGreaterThan(batches);
    expect(sample(after, 'switchboard_append_commit_seconds_count')).toBeGreaterThan(0);
  });

  it('reports lag per read model and reactor, timers due, and process metrics at scrape time', async () => {
    const text = await scrape();
    for (const readModel of ['call-history', 'tenant-directory', 'timers', 'conferences']) {
      expect(
        sample(text, 'switchboard_read_model_lag_events', `read_model="${readModel}"`),
      ).toBeGreaterThanOrEqual(0);
      expect(
        sample(text, 'switchboard_read_model_lag_seconds', `read_model="${readModel}"`),
      ).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'switchboard_reactor_lag_events', 'reactor="chained-calls"')).toBeGreaterThanOrEqual(
      0,
    );
    expect(sample(text, 'switchboard_timers_due')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'switchboard_timers_overdue')).toBe(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts a repeated hangup as unchanged and a hangup of an unknown call as rejected', async () => {
    const before = await scrape();
    const count = (text: string, result: string) =>
      sample(text, 'switchboard_commands_total', `result="${result}"`) ?? 0;
    const call = await api.request('POST', '/v1/calls', { key, body: { contact_id: 'r', type: 'voice' } });
    expect((await api.request('POST', `/v1/calls/${call.body.id}/hangup`, { key })).status).toBe(200);
    expect((await api.request('POST', `/v1/calls/${call.body.id}/hangup`, { key })).status).toBe(200);
    const unknown = '/v1/calls/0190e2c5-7f1e-7000-8000-000000000000/hangup';
    expect((await api.request('POST', unknown, { key })).status).toBe(404);
    const after = await scrape();
    expect(count(after, 'unchanged')).toBe(count(before, 'unchanged') + 1);
    expect(count(after, 'rejected')).toBe(count(before, 'rejected') + 1);
  });
});
