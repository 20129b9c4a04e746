import { MEDIA_GATEWAY, type MediaGateway } from '../../src/calls/media-gateway/media-gateway.port';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store';
import { readModelProjections } from '../../src/operator/read-model-catalog';
import { FixedClock, SequentialIds } from '../support/fixed-clock';
import { TestApp } from '../support/test-app';

const until = async (check: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** /v1/admin/projections: list, rebuild, retry, admin keys only. */
describe('projections admin API', () => {
  let api: TestApp;
  let userKey: string;

  beforeAll(async () => {
    api = await TestApp.start({
      clock: new FixedClock('2026-03-02T08:00:00.000Z'),
      ids: new SequentialIds(),
      config: { mediaGatewayMode: 'external' },
    });
    ({ key: userKey } = await api.createCustomer('Admin test'));
    for (let i = 0; i < 5; i++) {
      const call = await api.request('POST', '/v1/calls', { key: userKey, body: { contact_id: `c${i}` } });
      await api.request('POST', `/v1/calls/${call.body.id}/hangup`, { key: userKey });
      await api.request('POST', '/v1/conferences', {
        key: userKey,
        body: { type: 'conference', name: `c${i}` },
      });
    }
  });
  afterAll(() => api.close());

  it('lists every projection with version, position, head, lag and state', async () => {
    const response = await api.request('GET', '/v1/admin/projections');
    expect(response.status).toBe(200);
    const names = response.body.result.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'call-history',
        'conferences',
        'conferencecalls',
        'tenant-directory',
        'timers',
      ]),
    );
    expect(response.body.result[0]).toEqual(
      expect.objectContaining({
        version: expect.any(Number),
        head: expect.stringMatching(/^\d+$/),
        lag: expect.stringMatching(/^\d+$/),
        state: expect.any(String),
        failure: null,
      }),
    );
  });

  it("the operator tools' catalogue names exactly the server's projections", async () => {
    const served = (await api.request('GET', '/v1/admin/projections')).body.result.map(
      (p: { name: string }) => p.name,
    );
    const catalogued = readModelProjections().map((projection) => projection.name);
    expect([...catalogued].sort()).toEqual([...served].sort());
  });

  it('rebuilds blue/green: 202 at once, the old tables serve meanwhile, and nothing reacts', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const gateway = api.app.get<MediaGateway>(MEDIA_GATEWAY);
    const gatewayCalls = Object.getOwnPropertyNames(Object.getPrototypeOf(gateway))
      .filter((name) => name !== 'constructor' && typeof (gateway as any)[name] === 'function')
      .map((name) => jest.spyOn(gateway as any, name));
    const headBefore = await store.headPosition();
    const before = (await api.request('GET', '/v1/calls', { key: userKey })).body.result;

    const started = await api.request('POST', '/v1/admin/projections/call-history/rebuild');
    expect(started.status).toBe(202);
    expect(started.body.name).toBe('call-history');
    await until(async () => {
      const list = await api.request('GET', '/v1/admin/projections');
      const status = list.body.result.find((p: { name: string }) => p.name === 'call-history');
      return status.rebuild === null && status.state !== 'rebuilding' && status.lag === '0';
    });

    expect((await api.request('GET', '/v1/calls', { key: userKey })).body.result).toEqual(before);
    // A rebuild dispatches nothing: no new event (a reaction or timer would append one), no media request.
    expect(await store.headPosition()).toBe(headBefore);
    for (const spy of gatewayCalls) expect(spy).not.toHaveBeenCalled();
  });

  it('retry answers the status of a projection', async () => {
    const response = await api.request('POST', '/v1/admin/projections/conferences/retry');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'conferences', failure: null });
  });

  it('404 for an unknown projection, 400 for a malformed name', async () => {
    for (const action of ['rebuild', 'retry']) {
      const unknown = await api.request('POST', `/v1/admin/projections/no-such-thing/${action}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('projection.not_found');
      const bad = await api.request('POST', `/v1/admin/projections/Bad_Name!/${action}`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('name');
    }
  });

  it('403 for a user key and 401 without one: projections are not any tenant’s to see', async () => {
    for (const [method, path] of [
      ['GET', '/v1/admin/projections'],
      ['POST', '/v1/admin/projections/call-history/rebuild'],
      ['POST', '/v1/admin/projections/call-history/retry'],
    ]) {
      expect((await api.request(method, path, { key: userKey })).status).toBe(403);
      expect((await api.request(method, path, { key: null })).status).toBe(401);
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await api.request('GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/admin/projections',
        '/v1/admin/projections/{name}/rebuild',
        '/v1/admin/projections/{name}/retry',
      ]),
    );
  });
});
