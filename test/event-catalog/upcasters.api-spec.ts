import { Webhook } from 'standardwebhooks';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store';
import { SseTestClient } from '../event-feed/sse-test-client';
import { TestApp } from '../support/test-app';
import { WebhookReceiver } from '../webhooks/webhook-receiver';
import { expectCurrentShape, storeOldShapeFixtures } from './old-shape-fixtures';

describe('upcasters: old stored shapes read as the current public shape', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await TestApp.start({ config: { mediaGatewayMode: 'external', webhookAllowPrivateTargets: true } });
  });
  afterAll(() => api.close());

  it('through the JSON feed, the live SSE feed and webhooks', async () => {
    const tenant = await api.createCustomer('Old');
    const receiver = await WebhookReceiver.start();
    const endpoint = await api.request('POST', '/v1/webhook-endpoints', {
      key: tenant.key,
      body: { url: receiver.url() },
    });
    const store = api.app.get<EventStore>(EVENT_STORE);
    const before = (await store.headPosition()) ?? 0n;
    const live = new SseTestClient(`${api.baseUrl}/v1/events`, tenant.key);
    await live.opened();
    await storeOldShapeFixtures(store, tenant.customerId);

    const page = await api.request('GET', `/v1/events?after=${before}`, { key: tenant.key });
    expect(page.status).toBe(200);
    expectCurrentShape(
      page.body.result.slice(0, 3).map((event: any) => ({ type: event.type, data: event.data })),
    );

    await live.until((client) => client.events.length >= 3);
    expectCurrentShape(live.events.slice(0, 3).map((event) => ({ type: event.type, data: event.data.data })));
    live.close();

    const fixtureTypes = (d: { body: string }) => JSON.parse(d.body).type !== 'call.hangup';
    await receiver.until((received) => received.filter(fixtureTypes).length >= 3);
    const delivered = receiver.received
      .filter(fixtureTypes)
      .map(
        (d) => new Webhook(endpoint.body.secret).verify(d.body, d.headers as Record<string, string>) as any,
      )
      .sort((a, b) => Number(BigInt(a.sequence) - BigInt(b.sequence)));
    expectCurrentShape(delivered.slice(0, 3).map((event) => ({ type: event.type, data: event.data })));
    await receiver.close();
  }, 30_000);
});
