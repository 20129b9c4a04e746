import type { JsonObject } from '../event-store/event-store';
import { CALL_CONTROL_PROPERTIES } from './call-control-schemas';
import type { PublicResource } from './public-event-types';

/**
 * JSON Schema (draft 2020-12) of each resource as the REST API renders it (`call-view.ts`,
 * `conference-view.ts`). Every property is required and no other is allowed, so the catalogue test that
 * validates real views against these schemas fails the day a view gains or loses a field unannounced.
 */
const string = { type: 'string' };
const nullableString = { type: ['string', 'null'] };
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const uuid = { type: 'string', format: 'uuid' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const strings = { type: 'array', items: { type: 'string' } };
const integer = { type: 'integer' };
const revision = { type: 'string', pattern: '^[0-9]+$', description: 'Stream revision (the ETag).' };
const enumOf = (...values: (string | null)[]) => ({ enum: values });

function object(properties: Record<string, unknown>, description?: string): JsonObject {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  } as JsonObject;
}

const address = object({
  type: enumOf('tel', 'sip', 'agent', 'extension'),
  target: string,
  target_name: string,
  name: string,
  detail: string,
});

const HANGUP_REASONS = ['normal', 'failed', 'busy', 'cancel', 'timeout', 'noanswer', 'dialout', 'amd'];

export const CALL_SCHEMA = object(
  {
    id: uuid,
    call_id: uuid,
    customer_id: uuid,
    user_id: nullableString,
    contact_id: nullableString,
    type: enumOf('voice', 'video'),
    direction: enumOf('outgoing', 'incoming'),
    status: enumOf('dialing', 'ringing', 'progressing', 'terminating', 'canceling', 'hangup'),
    source: { oneOf: [address, { type: 'null' }] },
    destination: address,
    metadata: { type: 'object' },
    master_call_id: nullableUuid,
    chained_call_ids: strings,
    conference_id: nullableUuid,
    recording_id: nullableString,
    recording_ids: strings,
    recording_url: nullableString,
    hangup_by: enumOf('local', 'remote', null),
    hangup_reason: enumOf(...HANGUP_REASONS, null),
    end_reason: enumOf(...HANGUP_REASONS, null),
    raw_cause: nullableString,
    start_time: time,
    end_time: nullableTime,
    duration: { type: ['integer', 'null'], description: 'Talk time in seconds; null until hangup.' },
    created_date: time,
    tm_create: time,
    tm_update: time,
    tm_ringing: nullableTime,
    tm_progressing: nullableTime,
    tm_hangup: nullableTime,
    dial_timeout: integer,
    max_duration: integer,
    status_callback: nullableString,
    status_callback_events: { type: ['array', 'null'], items: { type: 'string' } },
    revision,
    // Call control: action, queued_actions, messages, transfer, transferred, amd.
    ...CALL_CONTROL_PROPERTIES,
    // inbound calls (numbers)
    number_id: nullableUuid,
    // --- seed 001/002 call fields (issue 12 §6) ---
    agent_id: nullableUuid,
    phone_id: nullableUuid,
    contact: object({
      id: string,
      identifier: string,
      contact_type: enumOf('call'),
      created_date: time,
    }),
    duration_seconds: { type: ['integer', 'null'], description: 'Same as `duration`.' },
    caller_phone: nullableString,
    assistant_phone: nullableString,
    // --- end seed 001/002 call fields ---
  },
  'The call as GET /v1/calls/{id} shows it after the event.',
);

export const CONFERENCE_SCHEMA = object(
  {
    id: uuid,
    customer_id: uuid,
    type: enumOf('conference', 'connect'),
    status: enumOf('starting', 'progressing', 'terminating', 'terminated'),
    name: string,
    detail: string,
    data: { type: 'object' },
    timeout: integer,
    max_participants: { type: ['integer', 'null'] },
    pre_actions: { type: 'array', items: { type: 'object' } },
    post_actions: { type: 'array', items: { type: 'object' } },
    conferencecall_ids: strings,
    participant_count: integer,
    recording_id: nullableString,
    recording_ids: strings,
    end_reason: enumOf('stopped', 'timeout', 'last_participant_left', null),
    tm_create: time,
    tm_update: time,
    tm_delete: nullableTime,
    revision,
  },
  'The conference as GET /v1/conferences/{id} shows it after the event.',
);

export const CONFERENCECALL_SCHEMA = object(
  {
    id: uuid,
    customer_id: uuid,
    conference_id: uuid,
    reference_type: enumOf('call'),
    reference_id: uuid,
    status: enumOf('joining', 'joined', 'leaving', 'leaved'),
    tm_create: time,
    tm_update: time,
    tm_delete: nullableTime,
    revision,
  },
  'The participant as GET /v1/conferencecalls/{id} shows it after the event.',
);

export const NUMBER_SCHEMA = object(
  {
    id: uuid,
    number_id: uuid,
    customer_id: uuid,
    phone_number: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' },
    name: string,
    on_incoming: enumOf('ring', 'answer', 'join_conference'),
    actions: { type: 'array', items: { type: 'object' } },
    conference_id: nullableUuid,
    ring_timeout: integer,
    created_at: time,
    updated_at: time,
    revision,
  },
  'The number as GET /v1/numbers/{id} shows it after the event (for number.deleted: as it last was).',
);

export const RECORDING_SCHEMA = object(
  {
    id: uuid,
    customer_id: uuid,
    reference_type: enumOf('call', 'conference'),
    reference_id: uuid,
    call_id: nullableUuid,
    conference_id: nullableUuid,
    status: enumOf('recording', 'stopping', 'finished'),
    format: enumOf('wav'),
    stop_reason: enumOf('requested', 'call_ended', 'conference_ended', 'media_ended', null),
    tm_start: time,
    tm_stop_requested: nullableTime,
    tm_end: nullableTime,
    duration: { type: ['integer', 'null'] },
    url: string,
    media_url: nullableString,
    tm_update: time,
    revision,
  },
  'The recording as GET /v1/recordings/{id} shows it after the event.',
);

export const RESOURCE_SCHEMAS: Record<PublicResource, JsonObject> = {
  call: CALL_SCHEMA,
  conference: CONFERENCE_SCHEMA,
  conferencecall: CONFERENCECALL_SCHEMA,
  number: NUMBER_SCHEMA,
  recording: RECORDING_SCHEMA,
};

/** The CloudEvents envelope around a `data` schema. */
export function envelopeSchema(type: string, data: JsonObject): JsonObject {
  return object(
    {
      specversion: { const: '1.0' },
      id: uuid,
      source: string,
      type: { const: type },
      typeversion: string,
      time,
      subject: uuid,
      datacontenttype: { const: 'application/json' },
      sequence: { type: 'string', pattern: '^[0-9]+$', description: 'Global position; compare as a number.' },
      customerid: uuid,
      data,
    },
    `CloudEvents 1.0 envelope of ${type}.`,
  );
}
