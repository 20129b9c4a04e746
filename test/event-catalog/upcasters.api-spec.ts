import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store';
import { SseTestClient } from '../event-feed/sse-test-client';
import { TestApp } from '../support/test-app';
import { expectCurrentShape, storeOldShapeFixtures } from './old-shape-fixtures';

describe('upcasters: old stored shapes read as the current public shape', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await TestApp.start({ config: { mediaGatewayMode: 'external' } });
  });
  afterAll(() => api.close());

  it('through the JSON feed and the live SSE feed', async () => {
    const tenant = await api.createCustomer('Old');
    const store = api.app.get<EventStore>(EVENT_STORE);
    const before = (await store.headPosition()) ?? 0n;
    const live = new SseTestClient(`${api.baseUrl}/v1/events`, tenant.key);
    await live.opened();
    await storeOldShapeFixtures(store, tenant.customerId);

    const page = await api.request('GET', `/v1/events?after=${before}`, { key: tenant.key });
    expect(page.status).toBe(200);
    expectCurrentShape(page.body.result.map((event: any) => ({ type: event.type, data: event.data })));

    await live.until((client) => client.events.length === 3);
    expectCurrentShape(live.events.map((event) => ({ type: event.type, data: event.data.data })));
    live.close();
  });
});
