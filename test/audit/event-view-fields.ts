/** The fields every audit trail answers per event (one shape for calls, conferences and the CLI). */
export const EVENT_VIEW_FIELDS = [
  'actor',
  'causation_id',
  'correlation_id',
  'data',
  'event_id',
  'position',
  'revision',
  'stream',
  'time',
  'traceparent',
  'type',
];
