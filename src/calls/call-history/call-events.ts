import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { notFound } from '../../domain/domain-error';
import { EVENT_STORE, type EventStore, type JsonObject } from '../../event-store/event-store';
import { readTenantStream } from '../../event-store/tenant-stream';
import { callStreamId } from '../call-stream';

export class CallEventView {
  @ApiProperty({ format: 'uuid' })
  event_id!: string;
  @ApiProperty({ example: 'CallCreated', description: 'Past-tense event type, stable forever.' })
  type!: string;
  @ApiProperty({ example: '0', description: 'Position in the call stream, from 0 (decimal string).' })
  revision!: string;
  @ApiProperty({ example: '42', description: 'Position in the whole store (decimal string).' })
  position!: string;
  @ApiProperty({ format: 'date-time', description: 'When the store committed it.' })
  created!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event as stored.' })
  data!: JsonObject;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'correlation_id, causation_id, customer_id and actor (who asked and why).',
  })
  metadata!: JsonObject;
}

export class CallEventsView {
  @ApiProperty({ type: [CallEventView] })
  result!: CallEventView[];
}

/**
 * The audit trail of one call, read from its stream rather than from a read model: it is the record
 * itself, complete and in order, never a projection's interpretation of it.
 */
@Injectable()
export class CallEvents {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async of(customerId: string, callId: string): Promise<CallEventsView> {
    const events = await readTenantStream(this.store, callStreamId(callId), customerId);
    if (!events) throw notFound('call.not_found', `call ${callId} not found`, { callId });
    return {
      result: events.map((event) => ({
        event_id: event.id,
        type: event.type,
        revision: event.revision.toString(),
        position: event.position.toString(),
        created: event.created.toISOString(),
        data: event.data,
        metadata: event.metadata,
      })),
    };
  }
}
