import { ApiProperty } from '@nestjs/swagger';
import { CallContactView } from '../call-parties';
import type { CallView } from '../call-view';
import { SEED_CALL_STATUSES, SEED_CALL_TYPE, type SeedCallStatus, seedCallStatus } from './seed-call-status';

const ID = { type: String, format: 'uuid', example: '3c90c3cc-0d44-4b50-8888-8dd25736052a' } as const;
const NULLABLE_TIME = { type: String, format: 'date-time', nullable: true } as const;

/**
 * GET /v1/call/{id}: seed 001's call document, exactly its twelve fields and nothing else. It is rendered
 * from the full call view (`call-view.ts`), so a field another part of the product fills there (the
 * recording's `recording_url`) shows here without a second rendering of the call.
 */
export class SeedCallDocument {
  @ApiProperty({ ...ID, description: 'The unique identifier for the call.' })
  id!: string;
  @ApiProperty({ ...ID, nullable: true, description: 'The agent that handled the call.' })
  agent_id!: string | null;
  @ApiProperty({ enum: SEED_CALL_STATUSES, description: 'The current status of the call (see README).' })
  status!: SeedCallStatus;
  @ApiProperty({ enum: ['inbound', 'outbound'], description: 'The direction of the phone call.' })
  type!: 'inbound' | 'outbound';
  @ApiProperty({ type: CallContactView, description: 'The contact that initiated or received the call.' })
  contact!: CallContactView;
  @ApiProperty({ ...ID, nullable: true, description: 'The phone used to make or receive the call.' })
  phone_id!: string | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the call was created.' })
  created_date!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The call recording URL; null when none.' })
  recording_url!: string | null;
  @ApiProperty({ ...NULLABLE_TIME, description: 'The start time of the call (its creation).' })
  start_time!: string | null;
  @ApiProperty({ ...NULLABLE_TIME, description: 'The end time of the call, if ended.' })
  end_time!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 123,
    description: 'Talk time in seconds; null until ended.',
  })
  duration!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'normal',
    description: 'Why the call ended (VoIPBIN hangup reason), once ended.',
  })
  end_reason!: string | null;
}

export function seedCallDocument(view: CallView): SeedCallDocument {
  return {
    id: view.id,
    agent_id: view.agent_id,
    status: seedCallStatus({
      status: view.status,
      hangupReason: view.hangup_reason,
      // Blind transfer (call-control.ts): the far end went to another leg, which answered.
      transferred: view.transferred,
    }),
    type: SEED_CALL_TYPE[view.direction],
    contact: view.contact,
    phone_id: view.phone_id,
    created_date: view.created_date,
    recording_url: view.recording_url,
    start_time: view.start_time,
    end_time: view.end_time,
    duration: view.duration,
    end_reason: view.end_reason,
  };
}
