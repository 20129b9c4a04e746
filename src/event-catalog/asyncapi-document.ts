import type { JsonObject } from '../event-store/event-store';
import { eventTypesOf, PUBLIC_EVENT_TYPES } from './public-event-types';
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
  const all = Object.keys(messages);
  const calls = eventTypesOf('call').map(messageName);
  const channelMessages = (names: string[]) =>
    Object.fromEntries(names.map((name) => [name, { $ref: `#/components/messages/${name}` }]));
  const receive = (channel: string, names: string[]) => ({
    action: 'receive',
    channel: { $ref: `#/channels/${channel}` },
    messages: names.map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` })),
  });
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Switchboard events',
      version: '1.0.0',
      description:
        'Public events of calls, conferences and participants, as server-sent events on GET /v1/events ' +
        'as Standard Webhooks POSTs to registered endpoints, and, for one call, to the status_callback given ' +
        'when it was made. The same CloudEvents body on all three.',
    },
    channels: {
      events: {
        address: '/v1/events',
        title: 'Live feed (text/event-stream)',
        description: 'SSE: `id:` is the global position; resume with Last-Event-ID or ?after=.',
        messages: channelMessages(all),
      },
      webhooks: {
        address: '{endpoint_url}',
        title: 'Webhook deliveries',
        description: 'POSTed with webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks).',
        parameters: { endpoint_url: { description: 'The url of a webhook endpoint.' } },
        messages: channelMessages(all),
      },
      statusCallbacks: {
        address: '{status_callback}',
        title: 'Status callbacks of one call',
        description:
          'POSTed to the status_callback of POST /v1/calls, for its status_callback_events (default all call ' +
          'types), with the Standard Webhooks headers, signed with the tenant callback secret ' +
          '(POST /v1/callback-secret/rotate).',
        parameters: { status_callback: { description: 'The status_callback url of a call.' } },
        messages: channelMessages(calls),
      },
    },
    operations: {
      receiveFeed: receive('events', all),
      receiveWebhook: receive('webhooks', all),
      receiveStatusCallback: receive('statusCallbacks', calls),
    },
    components: { messages },
  } as unknown as JsonObject;
}
