import { ApiProperty } from '@nestjs/swagger';
import type { JsonObject } from '../event-store/event-store';
import { type Conference, type ConferenceAction, conferencecallIdsOf } from './conference';
import type { Conferencecall } from './conferencecall';

/**
 * What the API shows of a conference: seed 004's fields plus `max_participants`, `end_reason`,
 * `participant_count` and `revision` (the ETag's number, a decimal string like every revision at a JSON
 * edge). Timestamps are ISO-8601; `tm_delete` is null until terminated (the seed's `9999-01-01` sentinel
 * is a storage artefact, not a time). Commands answer from state, queries from the read model: both go
 * through the same shape, so a GET right after a mutation shows the same body.
 */
export class ConferenceView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) customer_id!: string;
  @ApiProperty({ enum: ['conference', 'connect'] }) type!: string;
  @ApiProperty({
    enum: ['starting', 'progressing', 'terminating', 'terminated'],
    description: '`starting` is listed for compatibility; conferences are created `progressing`.',
  })
  status!: string;
  @ApiProperty() name!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Reserved; stored as given.' })
  data!: JsonObject;
  @ApiProperty({ description: 'Seconds from creation until the conference ends by itself; 0 = never.' })
  timeout!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited.' })
  max_participants!: number | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Played to each call that joins.' })
  pre_actions!: ConferenceAction[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Played to each call that leaves.' })
  post_actions!: ConferenceAction[];
  @ApiProperty({ type: [String], description: 'Current participants (conferencecalls), in admission order.' })
  conferencecall_ids!: string[];
  @ApiProperty() participant_count!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The recording running now; null when none.' })
  recording_id!: string | null;
  @ApiProperty({ type: [String], description: 'Every recording of the conference, in start order.' })
  recording_ids!: string[];
  @ApiProperty({ type: String, nullable: true, enum: ['stopped', 'timeout', 'last_participant_left'] })
  end_reason!: string | null;
  @ApiProperty() tm_create!: string;
  @ApiProperty() tm_update!: string;
  @ApiProperty({ type: String, nullable: true }) tm_delete!: string | null;
  @ApiProperty({ description: 'Stream revision; send it back as If-Match: "<revision>".' })
  revision!: string;
}

/** A participant: seed 004's conferencecall. */
export class ConferencecallView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) customer_id!: string;
  @ApiProperty({ format: 'uuid' }) conference_id!: string;
  @ApiProperty({ enum: ['call'] }) reference_type!: string;
  @ApiProperty({ format: 'uuid', description: 'The call id.' }) reference_id!: string;
  @ApiProperty({ enum: ['joining', 'joined', 'leaving', 'leaved'] }) status!: string;
  @ApiProperty() tm_create!: string;
  @ApiProperty() tm_update!: string;
  @ApiProperty({ type: String, nullable: true }) tm_delete!: string | null;
  @ApiProperty({ description: 'Stream revision; send it back as If-Match: "<revision>".' })
  revision!: string;
}

export class ConferencePage {
  @ApiProperty({ type: [ConferenceView] }) result!: ConferenceView[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; null on the last page.' })
  next_page_token!: string | null;
}

export class ConferencecallPage {
  @ApiProperty({ type: [ConferencecallView] }) result!: ConferencecallView[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; null on the last page.' })
  next_page_token!: string | null;
}

export function conferenceViewOf(conference: Conference, revision: bigint): ConferenceView {
  const ids = conferencecallIdsOf(conference);
  return {
    id: conference.id,
    customer_id: conference.customerId,
    type: conference.type,
    status: conference.status,
    name: conference.name,
    detail: conference.detail,
    data: conference.data,
    timeout: conference.timeout,
    max_participants: conference.maxParticipants,
    pre_actions: [...conference.preActions],
    post_actions: [...conference.postActions],
    conferencecall_ids: ids,
    participant_count: ids.length,
    recording_id: conference.recordingId,
    recording_ids: [...conference.recordingIds],
    end_reason: conference.endReason,
    tm_create: conference.tmCreate,
    tm_update: conference.tmUpdate,
    tm_delete: conference.tmDelete,
    revision: revision.toString(),
  };
}

export function conferencecallViewOf(participant: Conferencecall, revision: bigint): ConferencecallView {
  return {
    id: participant.id,
    customer_id: participant.customerId,
    conference_id: participant.conferenceId,
    reference_type: participant.referenceType,
    reference_id: participant.referenceId,
    status: participant.status,
    tm_create: participant.tmCreate,
    tm_update: participant.tmUpdate,
    tm_delete: participant.tmDelete,
    revision: revision.toString(),
  };
}
