import type { CallEvent } from '../calls/call';
import { callIdFromStream } from '../calls/call-stream';
import { type ConferencecallEvent, conferencecallIdFromStream } from '../conferences/conferencecall';
import type { RecordedEvent } from '../event-store/event-store';
import type { UsageLedger } from './usage-ledger';

/**
 * One source per metered aggregate: which stream it reads, and how each of its events moves the ledger.
 * Adding a metered thing is adding a source here; nothing else in the projection changes.
 *
 * RECORDINGS are built by another part of issue 12 (§2) and do not exist in this branch, so recording
 * minutes are 0. Their source is one more entry, e.g. (names as the recording events will have them):
 *
 *   { subjectOf: recordingIdFromStream, apply(event, id, ledger) {
 *       if (event.type === 'RecordingStarted')
 *         ledger.open(id, { customerId: event.data.customerId, kind: 'recording', startedAt: event.data.at });
 *       if (event.type === 'RecordingStopped') ledger.close(id, { endedAt: event.data.at, outcome: 'stopped' });
 *   } }
 *
 * plus a version bump of the projection so that existing recordings are metered by a rebuild.
 */
export interface UsageSource {
  /** The subject id of a stream of this source, or null when the stream is another's. */
  subjectOf(streamId: string): string | null;
  apply(event: RecordedEvent, subjectId: string, ledger: UsageLedger): void;
}

/** A call is open from its creation (which knows its tenant and direction) and metered at its hangup. */
const calls: UsageSource = {
  subjectOf: callIdFromStream,
  apply(recorded, callId, ledger) {
    const event = { type: recorded.type, data: recorded.data } as CallEvent;
    switch (event.type) {
      case 'CallCreated':
        ledger.open(callId, {
          customerId: event.data.customerId,
          kind: 'call',
          direction: event.data.direction,
        });
        return;
      case 'CallHungUp':
        ledger.close(callId, {
          endedAt: event.data.endTime,
          outcome: event.data.hangupReason,
          seconds: event.data.durationSec,
        });
        return;
      default:
        // Ringing, answer, hangup requests, conference membership, chaining: nothing to meter.
        return;
    }
  },
};

/** A participant is metered from the confirmed join to the leave; an aborted join is metered as 0. */
const conferenceParticipants: UsageSource = {
  subjectOf: conferencecallIdFromStream,
  apply(recorded, conferencecallId, ledger) {
    const event = { type: recorded.type, data: recorded.data } as ConferencecallEvent;
    switch (event.type) {
      case 'ConferencecallJoinStarted':
        ledger.open(conferencecallId, { customerId: event.data.customerId, kind: 'conference_participant' });
        return;
      case 'ConferencecallJoined':
        ledger.start(conferencecallId, event.data.at);
        return;
      case 'ConferencecallLeft':
        ledger.close(conferencecallId, { endedAt: event.data.at, outcome: 'left' });
        return;
      case 'ConferencecallJoinAborted':
        ledger.close(conferencecallId, { endedAt: event.data.at, outcome: 'aborted', seconds: 0 });
        return;
      case 'ConferencecallKicked':
        // Still in the bridge until the media layer confirms the leave: metering goes on.
        return;
      default:
        return;
    }
  },
};

export const USAGE_SOURCES: readonly UsageSource[] = [calls, conferenceParticipants];
