import type { JsonObject } from '../event-store/event-store';

/**
 * A public event in the CloudEvents 1.0 JSON format (structured mode). `sequence` is the global position
 * as a decimal string (the CloudEvents sequence extension: compare as numbers, not as strings), and
 * `customerid` the tenant (extension names are lower-case letters and digits only).
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  /** Version of `type` in the catalogue (`GET /v1/event-types`). */
  typeversion: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  sequence: string;
  customerid: string;
  data: JsonObject;
}

/** A public event with what routers need without parsing it again. */
export interface PublishedEvent {
  position: bigint;
  customerId: string;
  /** The call or conference the event belongs to: webhooks keep order per endpoint and per this key. */
  orderingKey: string;
  callId: string | null;
  conferenceId: string | null;
  cloudEvent: CloudEvent;
}

/**
 * The CloudEvent as JSON, serialised once per event object: the feed's thousand SSE clients and every
 * webhook endpoint send these same bytes (the translator hands all live consumers the same object).
 */
const serialised = new WeakMap<PublishedEvent, string>();
export function cloudEventJson(event: PublishedEvent): string {
  let json = serialised.get(event);
  if (json === undefined) {
    json = JSON.stringify(event.cloudEvent);
    serialised.set(event, json);
  }
  return json;
}
