import { Inject, Injectable } from '@nestjs/common';
import { callStream } from '../../calls/call.stream-type';
import { CommandExecutor } from '../../command-handling/command-executor';
import type { CommandMetadata } from '../../command-handling/command-metadata';
import { CLOCK, type Clock } from '../../domain/clock';
import { DomainError } from '../../domain/domain-error';
import { conferenceStream } from '../conference.stream-type';

/** Who a participation binds: enough to undo it without loading the participant. */
export interface ParticipationRef {
  conferencecallId: string;
  conferenceId: string;
  callId: string;
  customerId: string;
}

/**
 * The one clean-up for every way out of a conference (left, join aborted): the conference drops the
 * participant, the call is released from it. Both commands decide nothing when not applicable (never
 * admitted, never assigned, already done, a newer participation of the same call), so running it twice,
 * or from both the join process and the saga, is harmless. Returns the last global position written or
 * read, for read-your-writes.
 */
@Injectable()
export class ParticipantCleanup {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(ref: ParticipationRef, metadata: CommandMetadata): Promise<bigint | null> {
    const at = this.clock.now().toISOString();
    const { conferencecallId, conferenceId, callId, customerId } = ref;
    const removed = await orNothing(
      this.executor.run(
        conferenceStream,
        conferenceId,
        { type: 'RemoveParticipant', data: { conferenceId, customerId, conferencecallId, at } },
        metadata,
      ),
    );
    const released = await orNothing(
      this.executor.run(
        callStream,
        callId,
        { type: 'ReleaseConference', data: { callId, customerId, conferenceId, conferencecallId, at } },
        metadata,
      ),
    );
    return maxPosition(removed, released);
  }
}

/** A conference or call that does not exist (for this tenant) holds nothing to undo. */
async function orNothing(outcome: Promise<{ position: bigint | null }>): Promise<bigint | null> {
  try {
    return (await outcome).position;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') return null;
    throw error;
  }
}

export function maxPosition(...positions: (bigint | null)[]): bigint | null {
  let max: bigint | null = null;
  for (const p of positions) if (p !== null && (max === null || p > max)) max = p;
  return max;
}
