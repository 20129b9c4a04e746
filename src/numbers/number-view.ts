import { ApiProperty } from '@nestjs/swagger';
import type { JsonObject } from '../event-store/event-store';
import { ON_INCOMING, type PhoneNumber } from './number';

const ID = { type: String, format: 'uuid', example: '0190a5e2-7c1a-7000-8000-000000000001' } as const;
const TIME = { type: String, format: 'date-time', example: '2023-08-21T08:00:00.000Z' } as const;

export class NumberActionView {
  @ApiProperty({ example: 'talk', description: 'Action type, interpreted by call control.' })
  type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { text: 'Welcome' } })
  option!: JsonObject;
}

/** A registered phone number (seed 002 PhoneNumber: `number_id`, `phone_number`, `created_at`...). */
export class NumberView {
  @ApiProperty({ ...ID, description: 'The number id (the registration; a new one after re-registering).' })
  id!: string;
  @ApiProperty({ ...ID, description: 'Same as `id` (seed 002).' })
  number_id!: string;
  @ApiProperty({ ...ID, description: 'The tenant holding the number.' })
  customer_id!: string;
  @ApiProperty({ example: '+31850835037', description: 'The number, E.164.' })
  phone_number!: string;
  @ApiProperty({ example: 'Front desk', description: 'Free label; empty when not given.' })
  name!: string;
  @ApiProperty({ enum: ON_INCOMING, description: 'What happens to an incoming call.' })
  on_incoming!: PhoneNumber['onIncoming'];
  @ApiProperty({ type: [NumberActionView], description: 'Actions for `answer`, stored as given.' })
  actions!: NumberActionView[];
  @ApiProperty({ ...ID, nullable: true, description: 'Conference for `join_conference`.' })
  conference_id!: string | null;
  @ApiProperty({ type: Number, example: 30, description: 'Seconds a call rings before `noanswer`.' })
  ring_timeout!: number;
  @ApiProperty({ ...TIME, description: 'When it was registered.' })
  created_at!: string;
  @ApiProperty({ ...TIME, description: 'Last change.' })
  updated_at!: string;
  @ApiProperty({ type: String, example: '0', description: 'Stream revision: the ETag, for If-Match.' })
  revision!: string;
}

export function numberView(number: PhoneNumber, revision: bigint): NumberView {
  return {
    id: number.numberId,
    number_id: number.numberId,
    customer_id: number.customerId,
    phone_number: number.phoneNumber,
    name: number.name,
    on_incoming: number.onIncoming,
    actions: number.actions,
    conference_id: number.conferenceId,
    ring_timeout: number.ringTimeoutSec,
    created_at: number.tmCreate,
    updated_at: number.tmUpdate,
    revision: revision.toString(),
  };
}
