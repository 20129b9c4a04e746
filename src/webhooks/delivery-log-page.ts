import type { Clock } from '../domain/clock';
import { DEFAULT_PAGE_SIZE, type Page, type PageRequest, pageCursorOf, pageOf } from '../http/pagination';
import { type WebhookDeliveryView, webhookDeliveryView } from './webhook-endpoint-view';
import type { WebhookQueries } from './webhook-queries';

/** How far back a delivery log reaches (the outbox keeps older rows only until they are swept). */
export const LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * One page of a target's delivery log, newest first: the same for a webhook endpoint and a call's
 * status callback. A page the size the client asked for, and a token to the next while rows remain.
 */
export function deliveryLogPage(
  queries: WebhookQueries,
  clock: Clock,
  customerId: string,
  targetId: string,
  query: PageRequest,
): Page<WebhookDeliveryView> {
  const size = query.page_size ?? DEFAULT_PAGE_SIZE;
  const since = new Date(clock.now().getTime() - LOG_RETENTION_MS).toISOString();
  const rows = queries.deliveriesOf(customerId, targetId, since, size + 1, pageCursorOf(query));
  return pageOf(rows, size, webhookDeliveryView, (d) => ({ created: d.tmCreate, id: d.deliveryId }));
}
