import type { EventMetadata } from '../event-store/event-store';

/**
 * Who asked and why, carried by every command and stamped on every event it produces.
 * HTTP requests start a correlation (correlation = causation = request id); sagas and timers continue one
 * (correlation from the triggering event, causation = the triggering event's id).
 */
export interface CommandMetadata {
  correlationId: string;
  causationId: string;
  customerId: string;
  actor: string;
  /** W3C `traceparent` of the request that started the correlation, carried on through sagas and timers. */
  traceparent?: string;
}

export function toEventMetadata(metadata: CommandMetadata): EventMetadata {
  return {
    correlation_id: metadata.correlationId,
    causation_id: metadata.causationId,
    customer_id: metadata.customerId,
    actor: metadata.actor,
    ...(metadata.traceparent ? { traceparent: metadata.traceparent } : {}),
  };
}

/** Metadata for a command caused by a stored event (sagas, timers): same correlation, caused by that event. */
export function causedBy(event: { id: string; metadata: EventMetadata }, actor: string): CommandMetadata {
  return {
    correlationId: event.metadata.correlation_id,
    causationId: event.id,
    customerId: event.metadata.customer_id,
    actor,
    ...(typeof event.metadata.traceparent === 'string' ? { traceparent: event.metadata.traceparent } : {}),
  };
}
