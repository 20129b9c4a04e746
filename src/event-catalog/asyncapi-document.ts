import type { JsonObject } from '../event-store/event-store';
import { PUBLIC_EVENT_TYPES } from './public-event-types';
import { envelopeSchema, RESOURCE_SCHEMAS } from './resource-schemas';

const messageName = (type: string) => type.replace(/\./g, '_');

/**
 * The AsyncAPI 3.0 document of the feed and the webhooks, generated from the catalogue and the same
 * schemas `GET /v1/event-types` serves, so the two cannot disagree.
 */
export function asyncApiDocument(): JsonObject {
  const messages: Record<string, JsonObject> = {};
  for (const entry of PUBLIC_EVENT_TYPES) {
    messages[messageName(entry.type)] = {
      name: entry.type,
      title: `${entry.type} v${entry.version}`,
      summary: entry.description,
      contentType: 'application/cloudevents+json',
      payload: envelopeSchema(entry.type, RESOURCE_SCHEMAS[entry.resource]),
    };
  }
  const refs = Object.keys(messages).map((name) => ({ $ref: `#/components/messages/${name}` }));
  const channelMessages = () =>
    Object.fromEntries(
      Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }]),
    );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Switchboard events',
      version: '1.0.0',
      description:
        'Public events of calls, conferences and participants, as server-sent events on GET /v1/events ' +
        'and as Standard Webhooks POSTs to registered endpoints. The same CloudEvents body on both.',
    },
    channels: {
      events: {
        address: '/v1/events',
        title: 'Live feed (text/event-stream)',
        description: 'SSE: `id:` is the global position; resume with Last-Event-ID or ?after=.',
        messages: channelMessages(),
      },
      webhooks: {
        address: '{endpoint_url}',
        title: 'Webhook deliveries',
        description: 'POSTed with webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks).',
        parameters: { endpoint_url: { description: 'The url of a webhook endpoint.' } },
        messages: channelMessages(),
      },
    },
    operations: {
      receiveFeed: {
        action: 'receive',
        channel: { $ref: '#/channels/events' },
        messages: refs.map(({ $ref }) => ({
          $ref: $ref.replace('#/components/messages/', '#/channels/events/messages/'),
        })),
      },
      receiveWebhook: {
        action: 'receive',
        channel: { $ref: '#/channels/webhooks' },
        messages: refs.map(({ $ref }) => ({
          $ref: $ref.replace('#/components/messages/', '#/channels/webhooks/messages/'),
        })),
      },
    },
    components: { messages },
  } as unknown as JsonObject;
}
