import { ApiProperty } from '@nestjs/swagger';
import type { JsonObject, RecordedEvent } from '../event-store/event-store';
import { recordedAt } from '../operator/recorded-at';

/**
 * One stored event as every audit trail shows it (GET /v1/calls/:id/events, GET /v1/conferences/:id/events,
 * `switchboard events`, `switchboard trace`): the same flat fields everywhere, so a script written against
 * one trail reads the others. Revisions and positions are decimal strings, as at every JSON edge.
 */
export class EventView {
  @ApiProperty({ format: 'uuid', description: 'The event id, unique in the store.' })
  event_id!: string;
  @ApiProperty({ example: 'call-0190a5e2-7c1a-7000-8000-000000000001', description: 'Its stream.' })
  stream!: string;
  @ApiProperty({ example: '0', description: 'Position in its stream, from 0 (decimal string).' })
  revision!: string;
  @ApiProperty({ example: '42', description: 'Position in the whole store (decimal string).' })
  position!: string;
  @ApiProperty({ example: 'CallCreated', description: 'Past-tense event type, stable forever.' })
  type!: string;
  @ApiProperty({ format: 'date-time', description: 'When the store committed it.' })
  time!: string;
  @ApiProperty({ example: 'key:0190a5e2', description: '`key:<id>`, `media:<id>` or `system:<component>`.' })
  actor!: string;
  @ApiProperty({ description: 'The request chain this event belongs to.' })
  correlation_id!: string;
  @ApiProperty({ description: 'The command or event that caused it.' })
  causation_id!: string;
  @ApiProperty({
    nullable: true,
    description: 'W3C traceparent of the request that caused it (carried by sagas and timers), if any.',
  })
  traceparent!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event as stored.' })
  data!: JsonObject;
}

export class EventPage {
  @ApiProperty({ type: [EventView], description: 'Oldest first.' })
  result!: EventView[];
}

export function eventView(event: RecordedEvent): EventView {
  return {
    event_id: event.id,
    stream: event.streamId,
    revision: event.revision.toString(),
    position: event.position.toString(),
    type: event.type,
    time: recordedAt(event).toISOString(),
    actor: event.metadata.actor,
    correlation_id: event.metadata.correlation_id,
    causation_id: event.metadata.causation_id,
    traceparent: typeof event.metadata.traceparent === 'string' ? event.metadata.traceparent : null,
    data: event.data,
  };
}
