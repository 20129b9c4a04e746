import type { JsonObject } from '../event-store/event-store';

/**
 * JSON Schema of the call view's call-control fields (`call-control-view.ts`), spread into `CALL_SCHEMA`.
 * Same rule as the rest of the schema: every property required, no other allowed.
 */
function object(properties: Record<string, unknown>): JsonObject {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  } as JsonObject;
}
const nullable = (schema: JsonObject): JsonObject => ({ oneOf: [schema, { type: 'null' }] });
const string = { type: 'string' };
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const actionType = {
  enum: ['talk', 'play', 'transfer', 'hangup', 'inject_context', 'record_start', 'record_stop'],
};
const option = { type: 'object' };

export const CALL_CONTROL_PROPERTIES: Record<string, unknown> = {
  action: nullable(
    object({
      id: string,
      next_id: { type: ['string', 'null'] },
      type: actionType,
      option,
      status: { enum: ['running', 'done', 'failed'] },
      tm_execute: time,
      tm_media_start: nullableTime,
      tm_finish: nullableTime,
    }),
  ),
  queued_actions: { type: 'array', items: object({ id: string, type: actionType, option }) },
  messages: {
    type: 'array',
    items: object({ role: { enum: ['assistant', 'user', 'system'] }, content: string, tm_create: time }),
  },
  transfer: nullable(
    object({
      call_id: string,
      action_id: string,
      status: { enum: ['dialing', 'transferred', 'failed'] },
      failure_reason: { type: ['string', 'null'] },
      tm_update: time,
    }),
  ),
  transferred: { type: 'boolean' },
  amd: nullable(
    object({ on_machine: { enum: ['hangup', 'continue'] }, result: { enum: ['human', 'machine', null] } }),
  ),
};
