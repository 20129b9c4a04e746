import { ApiProperty } from '@nestjs/swagger';
import type { Call, CallAddress } from './call';

/**
 * Who is on each end of a call, in the words of seeds 001 and 002. Pure derivations of the call's own
 * addresses: there is no contact directory or phone registry behind them (issue 12 §6).
 *
 * - The REMOTE party is the one outside the platform: the destination of an outgoing call, the source of an
 *   incoming one. Seed 001's `contact` ("the contact that initiated or received the call") and seed 002's
 *   `caller_phone` are the remote party.
 * - The LOCAL party is our side: the source of an outgoing call, the destination of an incoming one. Seed
 *   002's `assistant_phone` is the local party's number.
 */
export function remotePartyOf(call: Call): CallAddress | null {
  return call.direction === 'outgoing' ? call.destination : call.source;
}

export function localPartyOf(call: Call): CallAddress | null {
  return call.direction === 'outgoing' ? call.source : call.destination;
}

/** A phone number is a `tel` address's target; any other kind of address has none. */
export function phoneNumberOf(address: CallAddress | null): string | null {
  return address?.type === 'tel' ? address.target : null;
}

/** Seed 001's `contact` object. */
export class CallContactView {
  @ApiProperty({
    type: String,
    example: 'jj084',
    description:
      "The call's `contact_id` when it has one; else the remote party's address (its identifier), which " +
      'is all the call knows of the contact.',
  })
  id!: string;
  @ApiProperty({
    type: String,
    example: '+821021656521',
    description: "The remote party's address target (number, SIP URI, agent id); empty when unknown.",
  })
  identifier!: string;
  @ApiProperty({ enum: ['call'], description: 'How the contact was reached: always `call` here.' })
  contact_type!: 'call';
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When the contact was first seen: the creation of this call (there is no contact store).',
  })
  created_date!: string;
}

export function contactOf(call: Call): CallContactView {
  const identifier = remotePartyOf(call)?.target ?? '';
  return {
    id: call.contactId ?? identifier,
    identifier,
    contact_type: 'call',
    created_date: call.tmCreate,
  };
}
