import { Webhook } from 'standardwebhooks';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store';
import { TestApp } from '../support/test-app';
import { WebhookReceiver } from './webhook-receiver';

/** With WEBHOOK_SECRET_ENCRYPTION_KEY, no signing secret is stored in plaintext, and signing still works. */
describe('webhook secrets sealed at rest', () => {
  let api: TestApp;
  let receiver: WebhookReceiver;
  let tenant: { customerId: string; key: string };

  beforeAll(async () => {
    api = await TestApp.start({
      config: {
        simRingDelayMs: 0,
        simAnswerDelayMs: 0,
        webhookAllowPrivateTargets: true,
        webhookRetrySchedule: [0, 0],
        webhookSecretEncryptionKey: Buffer.alloc(32, 5).toString('base64'),
      },
    });
    tenant = await api.createCustomer('Sealed');
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await api.close();
  });

  const storedEvents = async (streamId: string) => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const events: string[] = [];
    for await (const event of store.readStream(streamId)) events.push(JSON.stringify(event.data));
    return events;
  };

  it('endpoint and callback secrets are sealed in the store; deliveries verify with the shown secrets', async () => {
    const endpoint = await api.request('POST', '/v1/webhook-endpoints', {
      key: tenant.key,
      body: { url: receiver.url('/endpoint'), event_types: ['call.created'] },
    });
    expect(endpoint.status).toBe(201);
    const callback = await api.request('POST', '/v1/callback-secret/rotate', { key: tenant.key });
    expect(callback.status).toBe(200);

    const endpointEvents = await storedEvents(`webhook-endpoint-${endpoint.body.id}`);
    const callbackEvents = await storedEvents(`callback-secret-${tenant.customerId}`);
    for (const [events, secret] of [
      [endpointEvents, endpoint.body.secret],
      [callbackEvents, callback.body.secret],
    ] as const) {
      expect(events.length).toBe(1);
      expect(events[0]).toContain('sealed:v1:');
      expect(events[0]).not.toContain(secret.slice('whsec_'.length));
    }

    await api.request('POST', '/v1/calls', {
      key: tenant.key,
      body: {
        contact_id: 'jj084',
        status_callback: receiver.url('/callback'),
        status_callback_events: ['call.created'],
      },
    });
    await receiver.until((r) => r.length === 2);
    for (const delivery of receiver.received) {
      const secret = delivery.path === '/endpoint' ? endpoint.body.secret : callback.body.secret;
      const event = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>) as {
        type: string;
      };
      expect(event.type).toBe('call.created');
    }
  });
});
